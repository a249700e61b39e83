"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def register_page(request, **kwargs):
    raise Http404


def register_csv(request, **kwargs):
    raise Http404


def confirm_details(request, **kwargs):
    raise Http404


def suspend(request, **kwargs):
    raise Http404


def reinstate(request, **kwargs):
    raise Http404


def remove(request, **kwargs):
    raise Http404


def withdraw_qualification(request, **kwargs):
    raise Http404


def register_entry(request, **kwargs):
    raise Http404


urlpatterns = [
    path("framework/register/", register_page, name="register"),
    path("framework/register.csv", register_csv, name="register-csv"),
    path("framework/confirm-your-details/", confirm_details, name="confirm-details"),
    path("framework/register/qualifications/<int:pk>/suspend/", suspend, name="suspend"),
    path("framework/register/qualifications/<int:pk>/reinstate/", reinstate, name="reinstate"),
    path("framework/register/qualifications/<int:pk>/remove/", remove, name="remove"),
    path("framework/register/qualifications/<int:pk>/withdraw/", withdraw_qualification, name="withdraw-qualification"),
    path("framework/register/<slug:slug>/", register_entry, name="register-entry"),
]
