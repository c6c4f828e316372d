#!/usr/bin/env bash
# Set up and pass the tests: ruff, then pytest against PostgreSQL and Redis (and Debian's Chromium for the
# browser tests). DATABASE_URL and REDIS_URL override the local defaults; arguments go to pytest.
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_system "${BASE_PACKAGES[@]}" chromium poppler-utils docker-compose
setup_python requirements-dev.txt

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/subsidy}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-$REDIS_URL}

.venv/bin/python scripts/check_services.py || {
  # Try once to start what is local, then say in one line what is missing.
  (service postgresql start || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start) >/dev/null 2>&1 || true
  (service redis-server start) >/dev/null 2>&1 || true
  sleep 2
  .venv/bin/python scripts/check_services.py --report || exit 1
}

.venv/bin/ruff check .
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
.venv/bin/python -m pytest "$@"
