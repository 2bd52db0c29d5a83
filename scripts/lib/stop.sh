# Sourced by the scripts that start servers (with-server.sh, nginx-check.sh).

# stop_processes PID...: SIGTERM to each (what a service manager sends, so servers shut down
# gracefully), up to 5 s each to end, then SIGKILL for any still running; reaps them.
# Empty arguments are skipped.
stop_processes() {
  local pid
  for pid in "$@"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
