from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "dynamic_framework.geography"
    label = "geography"
