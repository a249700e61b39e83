from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dynamic_framework.core"
    label = "core"
    verbose_name = "Core"
