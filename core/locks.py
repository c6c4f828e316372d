"""The one locking helper (like pretix's ``services/locking.py``): named advisory-lock key spaces, a lock timeout,
and an error when called outside a transaction.

Row locks stay ``select_for_update()``; an advisory lock guards what no single row stands for: the catalogue's
chain of events (one writer at a time), and a subsidy year being closed while entries into it are in flight.
Locks are held to the end of the transaction (PostgreSQL; SQLite serialises writers anyway).
"""

from enum import IntEnum

from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from .errors import DomainError

#: How long a lock is waited for before the operation is refused (PostgreSQL's ``lock_timeout``, for the rest of
#: the transaction: row locks taken after it wait as long).
LOCK_TIMEOUT = "30s"


class LockSpace(IntEnum):
    """The advisory-lock key spaces, one per thing guarded; the second key is the instance (a year), 0 if none."""

    CATALOGUE_TRAIL = 0x0CA7A106
    SUBSIDY_YEAR = 0x52333700  # "R37"


class LockTimeout(DomainError):
    """The lock was not free within ``LOCK_TIMEOUT``: someone else is changing the same thing."""


def advisory_lock(space: LockSpace, key: int = 0, *, shared: bool = False) -> None:
    """Take the lock ``(space, key)`` until the end of the current transaction; ``shared`` lets other shared
    holders in and keeps an exclusive one out."""
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_lock() must be called inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            cursor.execute(f"SELECT {function}(%s, %s)", [int(space), key])
        except OperationalError as exc:
            if getattr(getattr(exc, "__cause__", None), "sqlstate", "") == "55P03":  # lock_not_available
                raise LockTimeout(_("Someone else is changing this at the same moment; please try again.")) from exc
            raise
