from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Oversight: warnings, sampling and investigations")

    def ready(self):
        # audits builds on applications, never the reverse: it connects to the submission's hooks here.
        from applications import hooks

        from . import cases, signs

        hooks.register_check(cases.refuse_barred_buyer)
        hooks.register_after_submission(signs.on_submission)
