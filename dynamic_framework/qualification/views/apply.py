"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def framework_page(request, **kwargs):
    raise Http404


def what_you_will_need(request, **kwargs):
    raise Http404


def glossary(request, **kwargs):
    raise Http404


def applications(request, **kwargs):
    raise Http404


def start(request, **kwargs):
    raise Http404


def application(request, **kwargs):
    raise Http404


def section(request, **kwargs):
    raise Http404


def document(request, **kwargs):
    raise Http404


def remove_document(request, **kwargs):
    raise Http404


def check_answers(request, **kwargs):
    raise Http404


def submitted(request, **kwargs):
    raise Http404


def withdraw(request, **kwargs):
    raise Http404


def clarification(request, **kwargs):
    raise Http404


urlpatterns = [
    path("framework/", framework_page, name="framework"),
    path("framework/what-you-will-need/", what_you_will_need, name="what-you-will-need"),
    path("framework/glossary/", glossary, name="glossary"),
    path("applications/", applications, name="applications"),
    path("applications/start/", start, name="start"),
    path("applications/<str:reference>/", application, name="application"),
    path("applications/<str:reference>/sections/<str:section_key>/", section, name="section"),
    path("applications/<str:reference>/documents/<int:pk>/", document, name="document"),
    path("applications/<str:reference>/documents/<str:question_key>/remove/", remove_document, name="remove-document"),
    path("applications/<str:reference>/check-your-answers/", check_answers, name="check-answers"),
    path("applications/<str:reference>/submitted/", submitted, name="submitted"),
    path("applications/<str:reference>/withdraw/", withdraw, name="withdraw"),
    path("applications/<str:reference>/questions/<int:pk>/", clarification, name="clarification"),
]
