# syntax=docker/dockerfile:1
# SupportDesk's production image: gunicorn by default; docker-compose.yml runs the same image as
# the Celery worker and beat. Python packages come from requirements/run.lock (exact versions,
# checked against their hashes); the app runs from /app as it is in the repository (no editable
# install), as an unprivileged user.

# --- builder: the locked packages in a virtualenv, without pip's cache ---------------------------
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/run.lock /tmp/run.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/run.lock

# --- the image: WeasyPrint's libraries, the virtualenv, the app ---------------------------------
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/supportdesk supportdesk
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_ENV=production
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# .dockerignore keeps virtualenvs, var/ (make run's database), tests and caches out.
COPY . .
# Static files are collected once, into the image, with production's storage (hashed names,
# gzip and brotli copies). Production refuses to start without its settings, so this one command
# gets placeholders; collectstatic opens no database, broker or cache.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
        DATABASE_URL=postgres://collectstatic@localhost/collectstatic \
        CELERY_BROKER_URL=redis://localhost:6379/0 REDIS_URL=redis://localhost:6379/1 \
        EMAIL_URL=consolemail:// DEFAULT_FROM_EMAIL=collectstatic@localhost \
        SUPPORTDESK_SITE_URL=http://localhost NOYO_SANDBOX_ENABLED=true \
        python manage.py collectstatic --noinput -v0
USER supportdesk
EXPOSE 8000
# /health/ answers when the database does. Sent with the first ALLOWED_HOSTS name (Django answers
# 400 to any other) and X-Forwarded-Proto: https (SECURE_PROXY_SSL_HEADER), or the HTTPS redirect
# would answer instead. urllib: the slim image has no curl. Worker and beat override it in
# docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('*.') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=8)"]
# gunicorn reads its worker count from WEB_CONCURRENCY.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "supportdesk.wsgi", "--bind", "0.0.0.0:8000"]
