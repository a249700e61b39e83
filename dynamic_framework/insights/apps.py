from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "dynamic_framework.insights"
    label = "insights"
    verbose_name = "Insights"
