#!/usr/bin/env python3
"""A dcgm-exporter-format /metrics target for the reference factory (scripts/it/factory.sh).

No GPU can run here, so this stands in for dcgm-exporter on each node of the factory's Slurm
cluster: eight H100s per node, labelled as dcgm-exporter 3.x labels them (gpu, UUID, device,
pci_bus_id, modelName, Hostname) and with its HPC job mapping on (hpc_job = the Slurm job
holding the GPU). The mapping is read from the real slurmctld each scrape (`scontrol -d show
job`), as dcgm-exporter reads the files a Slurm prolog writes. Readings change every scrape.

GPU 2 of the first node has a failing NVLink: its replay and CRC error counters rise every
few seconds (the other GPUs export them at 0, as do the double-bit ECC total and the row-remap
failure flag), so factop's incident log has an NVLink fault to find.

Host names carry a domain (n1.factory.example), as exporters report them, so factop's
node-name rule has something to do. On the last node the device files are in reverse NVML
order (/dev/nvidia7 is NVML GPU 0), as on hosts whose minor numbers are not in PCI order:
Slurm's GRES IDX follows the device files, so a join by NVML index would put a job on the
wrong GPUs.

    dcgm_target.py PORT NODE...      (SLURM_CONF in the environment)
"""

import http.server
import math
import re
import subprocess
import sys
import time

DOMAIN = "factory.example"
GPUS = 8
STARTED = time.time()


def expand(hostlist):
    """Slurm's own expansion of a hostlist (n[2-3] → n2 n3)."""
    out = subprocess.run(
        ["scontrol", "show", "hostnames", hostlist],
        capture_output=True, text=True, timeout=5, check=False)
    return out.stdout.split()


def indices(spec):
    """IDX:0-1,4 → [0, 1, 4]."""
    result = []
    for part in spec.split(","):
        if "-" in part:
            low, high = part.split("-")
            result += range(int(low), int(high) + 1)
        elif part.isdigit():
            result.append(int(part))
    return result


def placements():
    """(node, device index) → job id, for every running job, from slurmctld."""
    try:
        out = subprocess.run(
            ["scontrol", "-d", "-o", "show", "job"],
            capture_output=True, text=True, timeout=5, check=False).stdout
    except subprocess.TimeoutExpired:
        return {}
    held = {}
    for line in out.splitlines():
        job = re.search(r"\bJobId=(\d+)", line)
        if not job or "JobState=RUNNING" not in line:
            continue
        for nodes, gres in re.findall(r"\bNodes=(\S+) CPU_IDs=\S+ Mem=\S+ GRES=(\S+)", line):
            for node in expand(nodes):
                for spec in re.findall(r"IDX:([0-9,\-]+)", gres):
                    for index in indices(spec):
                        held[(node, index)] = job.group(1)
    return held


def metrics(nodes):
    held = placements()
    now = time.time()
    lines = []
    families = [
        ("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."),
        ("DCGM_FI_PROF_SM_ACTIVE", "gauge", "Ratio of cycles an SM has at least 1 warp assigned."),
        ("DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."),
        ("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."),
        ("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."),
        ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "counter", "Total number of double-bit volatile ECC errors."),
        ("DCGM_FI_DEV_ROW_REMAP_FAILURE", "gauge", "Whether remapping of rows has failed"),
        ("DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", "counter",
         "Total number of NVLink flow-control CRC errors."),
        ("DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", "counter", "Total number of NVLink retries."),
    ]
    failing = int((now - STARTED) / 3)
    for name, kind, text in families:
        lines.append(f"# HELP {name} {text}")
        lines.append(f"# TYPE {name} {kind}")
        for n, node in enumerate(nodes):
            reversed_files = n == len(nodes) - 1
            for gpu in range(GPUS):
                device = GPUS - 1 - gpu if reversed_files else gpu
                job = held.get((node, device))
                busy = 0.55 + 0.4 * math.sin(now / 7 + gpu + n) if job else 0.0
                labels = (
                    f'gpu="{gpu}",UUID="GPU-{n:02x}{gpu:02x}f00d-0000-4000-8000-{n:04x}{gpu:08x}",'
                    f'device="nvidia{device}",pci_bus_id="00000000:{0x18 + 0x10 * device:02X}:00.0",'
                    f'modelName="NVIDIA H100 80GB HBM3",Hostname="{node}.{DOMAIN}"'
                    + (f',hpc_job="{job}"' if job else ""))
                value = {
                    "DCGM_FI_DEV_GPU_UTIL": round(busy * 100),
                    "DCGM_FI_PROF_SM_ACTIVE": round(busy * 0.9, 4),
                    # At most 40 W a GPU: eight stay under the emulated BMC's node reading.
                    "DCGM_FI_DEV_POWER_USAGE": round(20 + 20 * busy, 3),
                    "DCGM_FI_DEV_GPU_TEMP": round(30 + 30 * busy),
                    "DCGM_FI_DEV_FB_USED": round(60000 * busy),
                    "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL": 0,
                    "DCGM_FI_DEV_ROW_REMAP_FAILURE": 0,
                    "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL":
                        failing if (n, gpu) == (0, 2) else 0,
                    "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL":
                        7 * failing if (n, gpu) == (0, 2) else 0,
                }[name]
                lines.append(f"{name}{{{labels}}} {value}")
    return "\n".join(lines) + "\n"


def main():
    port, nodes = int(sys.argv[1]), sys.argv[2:]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            body = metrics(nodes).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
