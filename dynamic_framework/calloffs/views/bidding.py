"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def your_bids(request, **kwargs):
    raise Http404


def invitation(request, **kwargs):
    raise Http404


def bid(request, **kwargs):
    raise Http404


def bid_prices(request, **kwargs):
    raise Http404


def bid_answers(request, **kwargs):
    raise Http404


def bid_supply_chain(request, **kwargs):
    raise Http404


def bid_submit(request, **kwargs):
    raise Http404


def bid_receipt(request, **kwargs):
    raise Http404


def bid_withdraw(request, **kwargs):
    raise Http404


def outcome(request, **kwargs):
    raise Http404


urlpatterns = [
    path("bids/", your_bids, name="your-bids"),
    path("supply-chain-invitations/<int:pk>/", invitation, name="invitation"),
    path("opportunities/<str:reference>/bid/", bid, name="bid"),
    path("opportunities/<str:reference>/bid/prices/", bid_prices, name="bid-prices"),
    path("opportunities/<str:reference>/bid/answers/", bid_answers, name="bid-answers"),
    path("opportunities/<str:reference>/bid/supply-chain/", bid_supply_chain, name="bid-supply-chain"),
    path("opportunities/<str:reference>/bid/submit/", bid_submit, name="bid-submit"),
    path("opportunities/<str:reference>/bid/receipts/<str:receipt>/", bid_receipt, name="bid-receipt"),
    path("opportunities/<str:reference>/bid/withdraw/", bid_withdraw, name="bid-withdraw"),
    path("opportunities/<str:reference>/outcome/", outcome, name="outcome"),
]
