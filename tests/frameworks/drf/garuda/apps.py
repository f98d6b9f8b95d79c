from django.apps import AppConfig


class GarudaConfig(AppConfig):
    name = "garuda"
    verbose_name = "Garuda flight sessions"
