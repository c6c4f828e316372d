#!/usr/bin/env bash
# Set up and run the system on its embedded default: SQLite and a file-system Celery broker under var/,
# the reference and demo data loaded, web + worker + beat in one foreground group (Ctrl-C stops all).
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_system "${BASE_PACKAGES[@]}"
setup_python requirements.txt
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
say "Starting on http://127.0.0.1:8000/ (demo accounts in README.md; password demo12345). Ctrl-C stops."
exec .venv/bin/honcho -f Procfile.dev start
