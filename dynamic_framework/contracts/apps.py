from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "dynamic_framework.contracts"
    label = "contracts"
    verbose_name = "Contracts"
