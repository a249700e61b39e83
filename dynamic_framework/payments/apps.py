from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "dynamic_framework.payments"
    label = "payments"
    verbose_name = "Payments"
