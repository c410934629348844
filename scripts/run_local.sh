#!/usr/bin/env bash
# Serve the site, a Celery worker and beat together. Once the worker is ready the demo logins
# are printed again. Ctrl-C (or SIGTERM) stops the web server, beat and the worker, in that
# order, and exits 0.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# Links in mail sent by the worker (no request to take the host from) point here.
export SITE_BASE_URL="${SITE_BASE_URL:-http://127.0.0.1:${PORT}}"
VAR_DIR=${MENTORING_VAR_DIR:-var}
# What `make run` saved from seed_demo: printed again once the worker is ready.
LOGINS=${DEMO_LOGINS:-${VAR_DIR}/demo-logins.txt}
# Job control: each child runs in its own process group, so the terminal's Ctrl-C reaches
# this script alone and the children are stopped in order by `stop`. (A Ctrl-C that also
# hit the worker's pool processes could hang its warm shutdown: that was the "Killed".)
set -m
pids=()  # worker, beat, web: the order they start in; they stop the other way round
names=(worker beat web)

banner() {
  printf '\n────────────────────────────────────────────────────────────────────────\n'
  if [[ -r $LOGINS ]]; then cat "$LOGINS"; fi
  printf 'Open http://127.0.0.1:%s/ — Ctrl-C stops the web server, beat and the worker.\n' "$PORT"
  printf '────────────────────────────────────────────────────────────────────────\n\n'
}

# The logins are printed once both the worker and the web server are up: the worker says
# "ready" (its start-up banner has scrolled past), the web server answers on its port (its
# banner comes before it listens). Whichever comes second prints them.
flags=$(mktemp -d)
up() {
  : > "$flags/$1"
  if [[ -e $flags/worker && -e $flags/web ]] && mkdir "$flags/shown" 2>/dev/null; then
    banner
  fi
}

announce() {
  # Pass the worker's output through and note when it is ready. Ctrl-C must not end this
  # reader: the worker still logs while it shuts down; the reader ends with its output.
  trap '' INT
  local line seen=""
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ -z $seen && $line == *" ready."* ]]; then
      seen=1
      up worker
    fi
  done
}

web_up() {
  # Wait (at most 2 minutes) for the web server to accept a connection.
  local _
  for _ in $(seq 1 480); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then
      up web
      return 0
    fi
    sleep 0.25
  done
}

stop_one() {
  # stop_one INDEX SIGNAL: signal the child's process group, wait up to 20 s for it.
  local pid=${pids[$1]} _
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$2" -- "-$pid" 2>/dev/null || kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "The ${names[$1]} did not stop within 20 s: stopping it now."
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop() {
  trap - INT TERM
  echo
  echo "Stopping the web server, beat and the worker..."
  # The web server takes Ctrl-C as from a terminal (its reloader and server both exit);
  # beat and the worker take SIGTERM: beat stops scheduling, the worker finishes its
  # current tasks (a warm shutdown).
  [[ ${#pids[@]} -gt 2 ]] && stop_one 2 INT
  [[ ${#pids[@]} -gt 1 ]] && stop_one 1 TERM
  [[ ${#pids[@]} -gt 0 ]] && stop_one 0 TERM
  if [[ -n ${watcher:-} ]]; then kill "$watcher" 2>/dev/null || true; fi
  rm -rf "$flags"
  echo "Stopped."
}
trap 'stop; exit 0' INT TERM

# Without gossip and mingle: on a lost Redis connection their restart crashes the worker
# ("Unrecoverable error ... hostname"); one worker needs neither.
"$PY" -m celery -A mentoring worker --loglevel=INFO --concurrency=2 --hostname="worker@%h" \
  --without-gossip --without-mingle \
  > >(announce) 2>&1 &
pids+=($!)
"$PY" -m celery -A mentoring beat --loglevel=INFO --pidfile= \
  --schedule="${VAR_DIR}/celerybeat-schedule" &
pids+=($!)
"$PY" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
web_up &
watcher=$!
echo "Serving http://127.0.0.1:${PORT} with a Celery worker and beat (Ctrl-C stops all three)."
# If any of the three dies on its own, stop the others and report its status.
status=0
wait -n "${pids[@]}" || status=$?
echo "A process stopped by itself (status ${status}); stopping the others."
stop
exit "$status"
