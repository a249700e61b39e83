from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/contracts/", views.contracts, name="contracts"),
    path("insights/download/insights.json", views.download_json, name="download-json"),
    path("insights/download/<slug:table>.csv", views.download_csv, name="download-csv"),
]
