from django.apps import AppConfig


class CallOffsConfig(AppConfig):
    name = "dynamic_framework.calloffs"
    label = "calloffs"
    verbose_name = "Call-off competitions"
