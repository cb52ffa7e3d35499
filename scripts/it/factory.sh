#!/usr/bin/env bash
# The reference factory: one small AI factory from real parts on 127.0.0.1, every source factop
# reads at once, for its end-to-end test and for a newcomer to see factop on a real cluster.
#
#   Slurm 22.05 (scripts/it/slurm.sh): four 8-GPU nodes n1-n4 with accounting and slurmrestd,
#     three running GPU jobs and one pending;
#   Prometheus scraping a dcgm-exporter-format target (scripts/it/dcgm_target.py: no GPU runs
#     here) whose Hostname labels are the Slurm nodes with a domain and whose hpc_job labels are
#     the running jobs, values changing each scrape;
#   sushy-static serving the DMTF Redfish mockup as the BMC of n1-n3; node exporter reading a
#     hwmon power meter and node exporter's own InfiniBand fixture tree for n4;
#   a recorded OpenCost /allocation/compute answer served over HTTP (OpenCost needs Kubernetes,
#     which cannot run here); the FOCUS sample bill in ../shared/fixtures to import.
#
#   scripts/it/factory.sh up DIR     start everything under DIR (a fresh folder) and write
#                                    DIR/config.toml naming it all; prints how to run factop
#   scripts/it/factory.sh down DIR   stop everything by its recorded PID
#   scripts/it/factory.sh crash DIR NAME   SIGKILL one part: prometheus, dcgm-target, sushy,
#                                    node-exporter, opencost, or a Slurm daemon (slurmd-n2…)
#
# Ports: Prometheus 17090, DCGM target 17400, sushy-static 17800, node exporter 17100,
# OpenCost 17900; Slurm's are slurm.sh's (slurmrestd 17020).
set -u
cmd=${1:?usage: factory.sh up|down|crash DIR [NAME]}
T=${2:?usage: factory.sh up|down|crash DIR [NAME]}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=$(cd "$repo/.." && pwd)/shared/fixtures
sushy=${SUSHY_STATIC:-$repo/.build/it-venv/bin/sushy-static}
export SLURM_CONF="$T/slurm/slurm.conf"

# start, pid_of, alive, wait_for and stop: daemons under $T, recorded in $T/pids.
. "$here/daemons.sh"

up() {
  for tool in prometheus prometheus-node-exporter curl python3; do
    command -v "$tool" >/dev/null || {
      echo "factory.sh: $tool is not installed (.ci/run installs what the factory needs)" >&2
      return 1
    }
  done
  [ -x "$sushy" ] || {
    echo "factory.sh: no sushy-static at $sushy (.ci/run installs it in .build/it-venv)" >&2
    return 1
  }
  [ -d "$shared/redfish/public-rackmount1" ] || {
    echo "factory.sh: ../shared/fixtures is absent (the Redfish mockup and the FOCUS bill)" >&2
    return 1
  }
  mkdir -p "$T"/{log,slurm,prometheus,www/allocation,sysfs/class/hwmon/hwmon0}
  touch "$T/pids"

  bash "$here/slurm.sh" up "$T/slurm" >"$T/log/slurm-up.log" 2>&1 || {
    cat "$T/log/slurm-up.log" >&2
    return 1
  }
  # Three running jobs (n1 half full, n2 and n3 full, two GPUs of n4) and one that waits.
  cd "$T/slurm/jobs" || return 1
  timeout 20 sbatch -N1 -w n1 --gres=gpu:h100:4 -J llm-finetune --wrap 'sleep 86400' >/dev/null &&
    timeout 20 sbatch -N2 -w n2,n3 --gres=gpu:h100:8 -J llm-pretrain --wrap 'sleep 86400' >/dev/null &&
    timeout 20 sbatch -N1 -w n4 --gres=gpu:h100:2 -J vllm-serve --wrap 'sleep 86400' >/dev/null &&
    timeout 20 sbatch -N4 --gres=gpu:h100:8 -J llm-pretrain-next --wrap 'sleep 86400' >/dev/null || {
    echo "factory.sh: sbatch failed" >&2
    return 1
  }
  cd - >/dev/null || return 1
  timeout 20 scontrol token username=nobody lifespan=86400 | sed 's/^SLURM_JWT=//' >"$T/slurm.jwt"
  chmod 600 "$T/slurm.jwt"

  start dcgm-target python3 "$here/dcgm_target.py" 17400 n1 n2 n3 n4
  WATCH=dcgm-target wait_for 20 curl -fs -o /dev/null http://127.0.0.1:17400/metrics || return 1
  cat >"$T/prometheus.yml" <<C
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: dcgm
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:17400']
C
  start prometheus prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/prometheus" \
    --web.listen-address=127.0.0.1:17090
  WATCH=prometheus wait_for 60 curl -fs -o /dev/null http://127.0.0.1:17090/-/ready || return 1

  cp -r "$shared/redfish/public-rackmount1" "$T/redfish"
  start sushy "$sushy" -i 127.0.0.1 -p 17800 -m "$T/redfish"
  WATCH=sushy wait_for 30 curl -fs -o /dev/null http://127.0.0.1:17800/redfish/v1/ || return 1

  # A node power meter as the kernel's hwmon shows it (µW): this sandbox has none of its own.
  echo acpi_power_meter >"$T/sysfs/class/hwmon/hwmon0/name"
  echo 520000000 >"$T/sysfs/class/hwmon/hwmon0/power1_input"
  # n4's InfiniBand adapters: node exporter's own fixture tree (ports ACTIVE at 4X QDR).
  python3 "$repo/scripts/it/ttar.py" "$shared/infiniband/node_exporter-sys.ttar" "$T/sysfs" \
    sys/class/infiniband sys/ || return 1
  start node-exporter prometheus-node-exporter --web.listen-address=127.0.0.1:17100 \
    --path.sysfs="$T/sysfs" --collector.disable-defaults --collector.hwmon --collector.infiniband
  WATCH=node-exporter wait_for 20 curl -fs -o /dev/null http://127.0.0.1:17100/metrics || return 1

  cp "$repo/Tests/FeedsTests/Recorded/opencost-allocation-compute.json" "$T/www/allocation/compute"
  start opencost python3 -m http.server --bind 127.0.0.1 --directory "$T/www" 17900
  WATCH=opencost wait_for 20 curl -fs -o /dev/null http://127.0.0.1:17900/allocation/compute || return 1

  cat >"$T/config.toml" <<C
# The reference factory (scripts/it/factory.sh): every source factop reads, on 127.0.0.1.
[poll]
interval_s = 2
timeout_s = 5

[[cluster]]
name = "fleet"                       # slurm.conf's ClusterName
site = "factory"
pricing = "reserved_1y"
racks = { r1 = "n[1-2]", r2 = "n[3-4]" }
node_names = { strip_domain = true } # DCGM says n1.factory.example, Slurm n1
  [[cluster.source]]
  kind = "slurmrestd"
  url = "http://127.0.0.1:17020"
  user = "nobody"
  token_file = "$T/slurm.jwt"
  [[cluster.source]]
  kind = "prometheus"
  url = "http://127.0.0.1:17090"

[sites.factory]
pue = 1.3
power_budget_kw = 10
rack_power_budget_kw = 2

[redfish]
interval_s = 2
[[redfish.bmc]]
node = "n1"
url = "http://127.0.0.1:17800"
[[redfish.bmc]]
node = "n2"
url = "http://127.0.0.1:17800"
[[redfish.bmc]]
node = "n3"
url = "http://127.0.0.1:17800"

[[node_exporter]]
node = "n4"
url = "http://127.0.0.1:17100"

[opencost]
url = "http://127.0.0.1:17900"
C
  cat <<M
The reference factory is up under $T. With factop built (swift build):
  factop import focus $shared/focus/focus_sample_head300.csv --config $T/config.toml --db $T/cache.sqlite
  factop --config $T/config.toml --db $T/cache.sqlite
Stop it with: scripts/it/factory.sh down $T
M
}

down() {
  stop opencost node-exporter sushy prometheus dcgm-target
  [ -d "$T/slurm" ] && bash "$here/slurm.sh" down "$T/slurm"
  return 0
}

crash() { # NAME: SIGKILL one part, as a crash or the OOM killer would
  case $1 in
  slurm*) bash "$here/slurm.sh" crash "$T/slurm" "$1" ;;
  *)
    local p
    p=$(pid_of "$1")
    [ -n "$p" ] || {
      echo "factory.sh: no part called $1" >&2
      return 2
    }
    kill -KILL "$p"
    ;;
  esac
}

case $cmd in
up) up || {
  echo "factory.sh: the factory did not start; logs in $T/log" >&2
  down
  exit 1
} ;;
down) down ;;
crash) crash "${3:?usage: factory.sh crash DIR NAME}" ;;
*) echo "usage: factory.sh up|down|crash DIR [NAME]" >&2 && exit 2 ;;
esac
