"""The benchmark database at scale, seeded once by ``seed_scale.py`` and read by every run of ``run.py``: a database
named ``bench_scale`` (or ``$BENCH_DATABASE``) on the server of ``DATABASE_URL``. Import this before ``common``: it
points Django at that database."""

import os
from urllib.parse import urlsplit, urlunsplit

NAME = os.environ.get("BENCH_DATABASE", "bench_scale")
_server = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/subsidy"))
#: The server's maintenance database, to create and drop ``NAME`` from.
ADMIN_URL = urlunsplit(_server._replace(path="/postgres"))
os.environ["DATABASE_URL"] = URL = urlunsplit(_server._replace(path=f"/{NAME}"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
