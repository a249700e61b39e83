from django.urls import path
from django.views.generic import RedirectView

app_name = "organisations"

urlpatterns = [path("organisations/", RedirectView.as_view(url="/"), name="directory")]
