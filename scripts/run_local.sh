#!/usr/bin/env bash
# Serve the site, a Celery worker and beat together; Ctrl-C or SIGTERM stops all three.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# Links in mail sent by the worker (no request to take the host from) point here.
export SITE_BASE_URL="${SITE_BASE_URL:-http://127.0.0.1:${PORT}}"
pids=()
alive() {
  local pid
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}
stop() {
  trap - INT TERM EXIT
  echo "Stopping web, worker and beat..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # A Celery warm shutdown can hang once Ctrl-C has also hit its pool processes:
  # give everything 15 seconds, then kill what is left (and its children).
  for _ in $(seq 1 30); do
    alive || break
    sleep 0.5
  done
  if alive; then
    echo "Forcing the remaining processes to stop."
    for pid in "${pids[@]}"; do
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

"$PY" -m celery -A mentoring worker --loglevel=INFO --concurrency=2 --hostname="worker@%h" &
pids+=($!)
"$PY" -m celery -A mentoring beat --loglevel=INFO --pidfile= \
  --schedule="${MENTORING_VAR_DIR:-var}/celerybeat-schedule" &
pids+=($!)
"$PY" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
echo "Serving http://127.0.0.1:${PORT} with a Celery worker and beat (Ctrl-C stops all three)."
# Exit as soon as any of the three dies, taking the others down with it.
wait -n "${pids[@]}"
