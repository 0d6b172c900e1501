"""Helpers shared by the job tests: the cron entries as `rq cron` loads them, a port nothing listens on."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A separate process: kinerja.jobs.cron pins the process's local time, as `rq cron` needs.
CRON_SCRIPT = (
    "import json\n"
    "from rq.cron import CronScheduler\n"
    "s = CronScheduler(connection=None)\n"
    "s.load_config_from_file('kinerja.jobs.cron')\n"
    "print(json.dumps([[j.name, j.func_name, j.queue_name, j.cron, j.next_enqueue_time.isoformat()]"
    " for j in s.get_jobs()]))\n"
)


def cron_jobs() -> list[list[str]]:
    """Return [name, func_name, queue_name, cron, next run ISO] of every cron entry, loaded in a UTC process."""
    env = {**os.environ, "TZ": "UTC"}
    out = subprocess.run([sys.executable, "-c", CRON_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def unused_port() -> int:
    """Return a local port nothing listens on (a Redis that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
