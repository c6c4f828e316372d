"""System checks of the site frame."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def chain_key_from_environment(app_configs, **kwargs):
    """Production keys the trails' hashes with CHAIN_KEY from the environment (core/chain.py): a key made in var/
    beside the database's files would let whoever copies them recompute the chains (R45)."""
    if settings.DEBUG or settings.CHAIN_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Error(
            "CHAIN_KEY is not set: the trails' hashes would be keyed with a key kept in var/.",
            hint="Set CHAIN_KEY (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'), and keep it "
            "apart from the database's backups.",
            id="core.E001",
        )
    ]
