"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def evaluation(request, **kwargs):
    raise Http404


def panel(request, **kwargs):
    raise Http404


def declare(request, **kwargs):
    raise Http404


def score(request, **kwargs):
    raise Http404


def moderate(request, **kwargs):
    raise Http404


def results(request, **kwargs):
    raise Http404


def recommend(request, **kwargs):
    raise Http404


def approve_award(request, **kwargs):
    raise Http404


def confirm_award(request, **kwargs):
    raise Http404


def letters(request, **kwargs):
    raise Http404


urlpatterns = [
    path("evaluation/<str:reference>/", evaluation, name="evaluation"),
    path("evaluation/<str:reference>/panel/", panel, name="panel"),
    path("evaluation/<str:reference>/bids/<int:bid>/declare/", declare, name="declare"),
    path("evaluation/<str:reference>/bids/<int:bid>/score/", score, name="score"),
    path("evaluation/<str:reference>/bids/<int:bid>/moderate/", moderate, name="moderate"),
    path("evaluation/<str:reference>/results/", results, name="results"),
    path("evaluation/<str:reference>/recommend/", recommend, name="recommend"),
    path("evaluation/<str:reference>/approve/", approve_award, name="approve-award"),
    path("evaluation/<str:reference>/confirm/", confirm_award, name="confirm-award"),
    path("evaluation/<str:reference>/letters/", letters, name="letters"),
]
