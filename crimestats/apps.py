from django.apps import AppConfig


class CrimestatsConfig(AppConfig):
    name = "crimestats"
