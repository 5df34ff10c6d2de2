from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top layer: builds the demo and benchmark organisations from every other app's models."""

    name = "portfolio.demo"
    label = "demo"
    verbose_name = "Demo data"
