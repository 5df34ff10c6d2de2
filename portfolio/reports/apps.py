from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portfolio.reports"
    label = "reports"
    verbose_name = "Reports"
