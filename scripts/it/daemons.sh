# Daemons for the integration scripts (slurm.sh, factory.sh), sourced by them: each started in
# the background under $T with its log in $T/log and its PID recorded in $T/pids, waited on with
# bounded retries, and stopped by that PID.

start() { # NAME CMD...: in the background, logged, its PID recorded
  local name=$1
  shift
  "$@" >"$T/log/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$T/pids"
}
pid_of() { awk -v n="$1" '$1==n {p=$2} END {if (p) print p}' "$T/pids" 2>/dev/null; } # the latest
alive() { # running and not a zombie (kill -0 succeeds on zombies)
  local s
  s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $s != Z* ]]
}
wait_for() { # SECONDS CMD...: retry (each try at most 5 s) until it succeeds or time is up;
  # with WATCH naming a daemon, until that daemon exits too, and then say why from its log
  local seconds=$1 end
  shift
  end=$(($(date +%s) + seconds))
  until timeout 5 "$@" >/dev/null 2>&1; do
    [ -n "${WATCH:-}" ] && ! alive "$(pid_of "$WATCH")" && {
      echo "${0##*/}: $WATCH exited; the end of its log:" >&2
      tail -n 5 "$T/log/$WATCH.log" >&2
      return 1
    }
    [ "$(date +%s)" -ge "$end" ] && {
      echo "${0##*/}: timed out after $seconds s: $*" >&2
      return 1
    }
    sleep 0.05
  done
}
stop() { # NAME...: SIGTERM, up to 10 s, then SIGKILL
  local pids=() n p
  for n in "$@"; do
    p=$(pid_of "$n")
    [ -n "$p" ] && pids+=("$p")
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 100); do
    local any=0
    for p in "${pids[@]}"; do alive "$p" && any=1; done
    [ $any = 0 ] && return 0
    sleep 0.1
  done
  for p in "${pids[@]}"; do alive "$p" && kill -KILL "$p"; done
  return 0
}
