#!/usr/bin/env bash
# `make run`: migrate, load the demo users, then serve web (gunicorn) + Celery worker + beat
# until Ctrl-C, the way a small production install would: several workers, DEBUG off, static
# files compressed and served by WhiteNoise, every log on this console.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
CELERY=.venv/bin/celery
GUNICORN=.venv/bin/gunicorn
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_CONCURRENCY=${WEB_CONCURRENCY:-3}

# An IPv6 address goes in brackets in a URL and in gunicorn's --bind.
bracket() { if [[ $1 == *:* ]]; then echo "[$1]"; else echo "$1"; fi; }

# The address people and this machine's other processes reach us on. Bound to every interface
# (0.0.0.0, ::), people use the machine's name, and this machine itself loopback.
case $HOST in
    0.0.0.0 | ::)
        public_host=$(hostname -f 2>/dev/null || hostname)
        local_url="http://127.0.0.1:$PORT"
        ;;
    *)
        public_host=$(bracket "$HOST")
        local_url="http://$public_host:$PORT"
        ;;
esac
export SUPPORTDESK_SITE_URL=${SUPPORTDESK_SITE_URL:-http://$public_host:$PORT}

# DEBUG is off, so Django answers only to the names in ALLOWED_HOSTS: add the ones HOST implies.
if [[ -z ${ALLOWED_HOSTS:-} ]]; then
    hosts=(localhost 127.0.0.1 "[::1]")
    case $HOST in
        0.0.0.0 | ::)
            hosts+=("$(hostname)" "$public_host")
            for address in $(hostname -I 2>/dev/null || true); do hosts+=("$(bracket "$address")"); done
            ;;
        *) hosts+=("$(bracket "$HOST")") ;;
    esac
    ALLOWED_HOSTS=$(printf '%s\n' "${hosts[@]}" | awk 'NF && !seen[$0]++' | paste -sd, -)
    export ALLOWED_HOSTS
fi

mkdir -p var/celery/broker var/celery/processed
# Where this server listens, for every process started outside this script (`manage.py
# noyo_poll` in another shell, a worker started by hand): supportdesk/settings.py reads it.
{
    echo "# Written by make run on $(date '+%Y-%m-%d %H:%M'): the address SupportDesk serves on."
    echo "# Read by manage.py, Celery and gunicorn outside production; the environment wins."
    echo "SUPPORTDESK_SITE_URL=$SUPPORTDESK_SITE_URL"
    if [[ -z ${NOYO_BASE_URL:-} && $local_url != "$SUPPORTDESK_SITE_URL" ]]; then
        echo "NOYO_BASE_URL=$local_url/noyo/sandbox"
    fi
} >var/server.env

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
# Access and error logs on this console; a short graceful timeout so Ctrl-C stops promptly.
$GUNICORN supportdesk.wsgi --bind "$(bracket "$HOST"):$PORT" --workers "$WEB_CONCURRENCY" \
    --access-logfile - --error-logfile - --graceful-timeout 10 &
pids+=($!)

cat <<MSG

  SupportDesk is running at $SUPPORTDESK_SITE_URL/  (Ctrl-C stops web, worker and beat)
  $WEB_CONCURRENCY web workers; answers to $ALLOWED_HOSTS
  Sign in with one of the demo logins above.

MSG
wait -n "${pids[@]}"
