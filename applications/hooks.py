"""Hooks other apps connect to the submission (issue 11), so that ``applications`` never imports them.

Oversight (``audits``) registers two kinds in its ``AppConfig.ready``:

- a *check* runs in the submission's transaction before anything is written and may refuse with an
  ``ApplicationError`` -- R39 allows a refusal only for a violation (a buyer barred by a decided case);
- an *after-submission* callable runs in the same transaction once the application is submitted and numbered --
  it raises the warning signs of R38, which never stop a submission.

A registry of plain functions rather than Django signals: a check must be able to refuse, and a reader finds
every caller by grepping ``register_``.
"""

from collections.abc import Callable
from datetime import date

_checks: list[Callable] = []
_after_submission: list[Callable] = []


def register_check(fn: Callable) -> Callable:
    """``fn(application, on=date)``; raise ``ApplicationError`` to refuse the submission (a violation only)."""
    if fn not in _checks:
        _checks.append(fn)
    return fn


def register_after_submission(fn: Callable) -> Callable:
    """``fn(application)``, in the submission's transaction; it must not refuse."""
    if fn not in _after_submission:
        _after_submission.append(fn)
    return fn


def run_checks(application, *, on: date) -> None:
    for fn in _checks:
        fn(application, on=on)


def run_after_submission(application) -> None:
    for fn in _after_submission:
        fn(application)
