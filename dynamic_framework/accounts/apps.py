from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dynamic_framework.accounts"
    label = "accounts"
