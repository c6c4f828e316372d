from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site frame")

    def ready(self):
        from . import checks, sessions  # noqa: F401 - the system checks; the sign-in signal that starts the idle clock
