from django.apps import AppConfig


class EcAccessConfig(AppConfig):
    name = "ec_access"
    verbose_name = "EC access"
