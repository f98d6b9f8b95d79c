from django.apps import AppConfig


class FlightsayerConfig(AppConfig):
    name = "flightsayer"
    verbose_name = "Flightsayer flight status"
