from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "dynamic_framework.organisations"
    label = "organisations"
