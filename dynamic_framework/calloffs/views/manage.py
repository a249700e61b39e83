"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def call_off_list(request, **kwargs):
    raise Http404


def create(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404


def edit(request, **kwargs):
    raise Http404


def lots(request, **kwargs):
    raise Http404


def lot(request, **kwargs):
    raise Http404


def remove_lot(request, **kwargs):
    raise Http404


def criteria(request, **kwargs):
    raise Http404


def criterion(request, **kwargs):
    raise Http404


def remove_criterion(request, **kwargs):
    raise Http404


def documents(request, **kwargs):
    raise Http404


def submit_for_approval(request, **kwargs):
    raise Http404


def approve(request, **kwargs):
    raise Http404


def send_back(request, **kwargs):
    raise Http404


def amend(request, **kwargs):
    raise Http404


def cancel(request, **kwargs):
    raise Http404


def no_award(request, **kwargs):
    raise Http404


def copy(request, **kwargs):
    raise Http404


def questions(request, **kwargs):
    raise Http404


def answer(request, **kwargs):
    raise Http404


urlpatterns = [
    path("call-offs/", call_off_list, name="list"),
    path("call-offs/new/", create, name="create"),
    path("call-offs/<str:reference>/", detail, name="detail"),
    path("call-offs/<str:reference>/edit/", edit, name="edit"),
    path("call-offs/<str:reference>/lots/", lots, name="lots"),
    path("call-offs/<str:reference>/lots/<int:pk>/", lot, name="lot"),
    path("call-offs/<str:reference>/lots/<int:pk>/remove/", remove_lot, name="remove-lot"),
    path("call-offs/<str:reference>/criteria/", criteria, name="criteria"),
    path("call-offs/<str:reference>/criteria/<int:pk>/", criterion, name="criterion"),
    path("call-offs/<str:reference>/criteria/<int:pk>/remove/", remove_criterion, name="remove-criterion"),
    path("call-offs/<str:reference>/documents/", documents, name="documents"),
    path("call-offs/<str:reference>/submit-for-approval/", submit_for_approval, name="submit-for-approval"),
    path("call-offs/<str:reference>/approve/", approve, name="approve"),
    path("call-offs/<str:reference>/send-back/", send_back, name="send-back"),
    path("call-offs/<str:reference>/amend/", amend, name="amend"),
    path("call-offs/<str:reference>/cancel/", cancel, name="cancel"),
    path("call-offs/<str:reference>/no-award/", no_award, name="no-award"),
    path("call-offs/<str:reference>/copy/", copy, name="copy"),
    path("call-offs/<str:reference>/questions/", questions, name="questions"),
    path("call-offs/<str:reference>/questions/<int:pk>/", answer, name="answer"),
]
