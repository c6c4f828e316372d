"""Thin Celery wrappers around the delivery services; both are idempotent."""

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(services.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=2,
)
def deliver(delivery_id: int) -> None:
    """Send one e-mail or SMS; a failure is recorded on the delivery and retried with backoff."""
    services.send_delivery(delivery_id=delivery_id)


@shared_task
def sweep_pending_deliveries() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): re-enqueue deliveries that are still due."""
    return services.sweep_pending_deliveries()
