"""Load-test helpers: gunicorn (2 workers) and wrk on loopback, as TOOLING.md recommends.

Used by ``test_bench_load.py``. wrk shares the machine's cores with gunicorn, so a run is only
meaningful as a ratio against a bare Flask route measured in the same run.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USER_AGENT = "kinerja-load"  # send it with every request of a session made by login()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict[str, str], workers: int = 2):
    """Serve ``app_spec`` with gunicorn on a free loopback port; yield the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--no-control-socket", "--log-level", "warning", app_spec]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.1)
        time.sleep(0.5)  # let both workers boot
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(url: str, *, script: str | None = None, seconds: int = 5, threads: int = 2,
        connections: int = 20) -> dict:
    """Run wrk against ``url`` (a Lua ``script`` text when given); return req/s and non-2xx count."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (scripts/test installs it)")
    command = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    script_path = None
    if script:
        script_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"kinerja-wrk-{os.getpid()}.lua"
        script_path.write_text(script)
        command += ["-s", str(script_path)]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30)
    output = done.stdout + done.stderr
    if script_path:
        script_path.unlink(missing_ok=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rate, "non_2xx": int(bad.group(1)) if bad else 0, "requests": total, "output": output}


def login(base: str, nip: str, password: str) -> tuple[str, str]:
    """Log in through the real form (CSRF on); return the session cookie header and a CSRF token.

    Requests made with them must send ``User-Agent: kinerja-load``, or Flask-Login drops the session.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]  # the session is bound to it (Flask-Login protection)
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"nip": nip, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=body)
    page = opener.open(f"{base}/").read().decode()
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, csrf
