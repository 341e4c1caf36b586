#!/usr/bin/env bash
# make run: the development server and the background worker that issues reports,
# started together and stopped together: Ctrl+C, or the server stopping for any other
# reason, stops the worker too. Usage: scripts/serve-dev.sh HOST PORT
set -euo pipefail

PY=${PY:-.venv/bin/python}
HOST=${1:-127.0.0.1}
PORT=${2:-8000}

# --interval 1: a report waits at most a second for the worker to notice it.
# --no-reload: the reloader would put the worker in a child process that outlives a
# stopped parent; restart make run after changing code the worker runs.
"$PY" manage.py db_worker --interval 1 --no-reload &
worker=$!

stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    # The worker finishes the report it is printing, then stops.
    kill -TERM "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "Background worker started (process $worker): it issues reports while the app runs."
# In the foreground, so that Ctrl+C reaches it as usual; the EXIT trap then stops the
# worker.
"$PY" manage.py runserver "$HOST:$PORT"
