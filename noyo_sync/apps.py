from django.apps import AppConfig


class NoyoSyncConfig(AppConfig):
    name = "noyo_sync"
    verbose_name = "Noyo sync"
