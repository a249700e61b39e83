from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "dynamic_framework.categories"
    label = "categories"
