# Sourced by bench/fanout and bench/drills: starts the worker pools exactly as Procfile.production
# lists them (its web and beat aside), each logging to $WORK/<pool>.log. Adds each pid to PIDS and
# sets SENDS_PID to the patient-sends pool's master.
start_pools() {
  local line name cmd
  while IFS= read -r line; do
    name=${line%%: *}
    case $name in web|beat) continue ;; esac
    cmd=$(eval echo "\"${line#*: }\"")
    # shellcheck disable=SC2086
    .venv/bin/$cmd > "$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    [ "$name" = sends ] && SENDS_PID=$!
  done < Procfile.production
  .venv/bin/celery -A config beat --loglevel WARNING -s "$WORK/beat-schedule" > "$WORK/beat.log" 2>&1 &
  PIDS+=($!)
}
