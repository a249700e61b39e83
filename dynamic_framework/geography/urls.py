from django.urls import path

from . import views

app_name = "geography"

urlpatterns = [
    path("regions/", views.regions, name="regions"),
    path("regions/<slug:slug>/", views.region, name="region"),
]
