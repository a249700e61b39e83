from django.urls import path

from . import api, views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("api/", api.api_docs, name="api-docs"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications-read"),
]
