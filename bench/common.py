"""What every benchmark here needs: Django set up on this checkout, a throw-away test database (test_<name>), and
the median time and query count of an operation. Import it first: ``from common import measure, throwaway_database``.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


@contextmanager
def throwaway_database():
    """A fresh test database for the benchmark, dropped afterwards whatever happens."""
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure(label: str, call, *, runs: int) -> tuple[str, float, int]:
    """(label, median milliseconds over ``runs``, queries of one run)."""
    times, queries = [], 0
    for _ in range(runs):
        connection.queries_log.clear()  # the log keeps 9,000 queries; a bulk fill alone can pass that
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return label, statistics.median(times) * 1000, queries
