"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def opportunities(request, **kwargs):
    raise Http404


def feed(request, **kwargs):
    raise Http404


def alerts(request, **kwargs):
    raise Http404


def alerts_confirm(request, **kwargs):
    raise Http404


def alerts_unsubscribe(request, **kwargs):
    raise Http404


def opportunity(request, **kwargs):
    raise Http404


def document(request, **kwargs):
    raise Http404


def ask(request, **kwargs):
    raise Http404


urlpatterns = [
    path("opportunities/", opportunities, name="opportunities"),
    path("opportunities/feed.atom", feed, name="feed"),
    path("opportunities/alerts/", alerts, name="alerts"),
    path("opportunities/alerts/confirm/<str:token>/", alerts_confirm, name="alerts-confirm"),
    path("opportunities/alerts/unsubscribe/<str:token>/", alerts_unsubscribe, name="alerts-unsubscribe"),
    path("opportunities/<str:reference>/", opportunity, name="opportunity"),
    path("opportunities/<str:reference>/documents/<int:pk>/", document, name="document"),
    path("opportunities/<str:reference>/ask/", ask, name="ask"),
]
