from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and districts")

    def ready(self):
        from . import roles

        roles.connect()  # the trail of role changes (accounts/roles.py)
