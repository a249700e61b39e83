"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def queue(request, **kwargs):
    raise Http404


def conflicts(request, **kwargs):
    raise Http404


def review(request, **kwargs):
    raise Http404


def assign(request, **kwargs):
    raise Http404


def assess_section(request, **kwargs):
    raise Http404


def decide(request, **kwargs):
    raise Http404


urlpatterns = [
    path("assessment/", queue, name="queue"),
    path("assessment/conflicts/", conflicts, name="conflicts"),
    path("assessment/<str:reference>/", review, name="assess"),
    path("assessment/<str:reference>/assign/", assign, name="assign"),
    path("assessment/<str:reference>/sections/<str:section_key>/", assess_section, name="assess-section"),
    path("assessment/<str:reference>/decision/", decide, name="decide"),
]
