from django.apps import AppConfig


class QualificationConfig(AppConfig):
    name = "dynamic_framework.qualification"
    label = "qualification"
    verbose_name = "Qualification"
