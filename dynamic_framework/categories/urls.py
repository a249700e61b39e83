from django.urls import path

from . import views

app_name = "categories"

urlpatterns = [
    path("service-categories/", views.category_list, name="list"),
    path("service-categories/<slug:slug>/", views.category_detail, name="detail"),
]
