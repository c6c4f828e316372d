from celery import shared_task

from . import signs


@shared_task
def scan_warnings() -> int:
    """Nightly: raise the warning signs over this subsidy year (idempotent, R38)."""
    return signs.scan()
