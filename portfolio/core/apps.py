from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portfolio.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Register the permission rules (DESIGN §4): rules' autodiscovery only imports modules named rules.py.
        from portfolio.core import permissions  # noqa: F401
