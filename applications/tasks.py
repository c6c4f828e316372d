from celery import shared_task

from .sweep import sweep


@shared_task(name="applications.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict:
    result = sweep()
    return {"notices_closed": len(result.notices_closed), "overdue": len(result.overdue), "stuck": len(result.stuck)}
