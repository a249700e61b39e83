from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("organisations/<slug:slug>/", views.profile, name="profile"),
    path("organisations/<slug:slug>/edit/", views.edit, name="edit"),
    path("organisations/<slug:slug>/sector/", views.sector, name="sector"),
    path("organisations/<slug:slug>/verify/", views.verify, name="verify"),
]
