from django.apps import AppConfig


class HuskyReportsConfig(AppConfig):
    name = "husky_reports"
    verbose_name = "HUSKY reports"
