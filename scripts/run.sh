#!/usr/bin/env bash
# `make run`: migrate, load the demo users, then serve web + Celery worker + beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
CELERY=.venv/bin/celery
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# The worker polls the in-app Noyo sandbox: on whatever address this server listens.
export NOYO_BASE_URL=${NOYO_BASE_URL:-http://$HOST:$PORT/noyo/sandbox}

mkdir -p var/celery/broker var/celery/processed
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py load_demo

pids=()
stop() {
    trap - EXIT INT TERM
    echo "Stopping SupportDesk…"
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

$CELERY -A supportdesk worker --loglevel=INFO --concurrency=2 --without-mingle --without-gossip &
pids+=($!)
$CELERY -A supportdesk beat --loglevel=INFO &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

cat <<MSG

  SupportDesk is running at http://$HOST:$PORT/  (Ctrl-C stops web, worker and beat)
  Sign in with one of the demo logins above.

MSG
wait -n "${pids[@]}"
