# The one image for the web, worker, beat and migrate services of docker-compose.yml (the command differs).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    CHECKPOINT_DIR=/data/checkpoints

# What WeasyPrint needs for Chinese PDFs (CJK fonts, Pango, the HarfBuzz subsetter) and gettext for
# compilemessages: the runtime part of BASE_PACKAGES in scripts/setup.sh.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when the pinned requirements change.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Translations and static files are built into the image. The settings need their secrets even here: dummy
# values, set for these commands only, so that nothing is written to VAR_DIR and no secret is in a layer.
# DEBUG=false selects the same static-files storage (manifest, compressed) as production; STATIC_ROOT is
# VAR_DIR/staticfiles, hence VAR_DIR is the same at build and run time.
RUN SECRET_KEY=build-only-not-secret \
    FIELD_ENCRYPTION_KEYS=build-only-not-secret \
    BLIND_INDEX_KEY=build-only-not-secret \
    CHAIN_KEY=build-only-not-secret \
    CELERY_BROKER_URL=memory:// \
    DEBUG=false \
    sh -c 'python manage.py compilemessages -v0 && python manage.py collectstatic --noinput -v0' \
 && mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$CHECKPOINT_DIR" \
 && chown app:app "$VAR_DIR" "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$CHECKPOINT_DIR" \
 && chmod 700 "$PRIVATE_MEDIA_ROOT"

# The code stays root-owned and read-only for the app; it writes only to VAR_DIR and the upload volumes.
USER app

EXPOSE 8000

# docker-compose.yml gives each service its command; this default is the web server.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--no-control-socket"]
