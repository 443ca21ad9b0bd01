"""HTTP load against 127.0.0.1 only, bounded in time and in count: `wrk` when it is installed
(`apt-get install -y wrk`), otherwise threads with keep-alive `http.client` connections."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
#: Hard cap on requests per measurement in the Python generator (the time bound usually wins).
MAX_REQUESTS = 2_000_000


@dataclass
class LoadResult:
    tool: str
    ok: int  # 200 responses (wrk: 2xx/3xx; the runner re-checks the status before and after)
    errors: int  # other statuses, socket errors, timeouts
    seconds: float

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0


def wrk_path() -> str | None:
    return shutil.which("wrk")


def choose_tool(preference: str) -> str:
    if preference == "python":
        return "python"
    if wrk_path():
        return "wrk"
    if preference == "wrk":
        raise SystemExit("wrk was asked for but is not installed (apt-get install -y wrk)")
    return "python"


def run_load(tool: str, port: int, path: str, headers: dict[str, str], *, seconds: float,
             connections: int) -> LoadResult:
    if tool == "wrk":
        return _run_wrk(port, path, headers, seconds=seconds, connections=connections)
    return _run_python(port, path, headers, seconds=seconds, connections=connections)


# --- wrk --------------------------------------------------------------------------------------

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _duration(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unparsable wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> tuple[int, float, int]:
    """(requests, seconds, errors) from wrk's report."""
    match = re.search(r"(\d+) requests in ([\d.]+\w+),", output)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    total, seconds = int(match.group(1)), _duration(match.group(2))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sock:
        errors += sum(int(g) for g in sock.groups())
    return total, seconds, errors


def _run_wrk(port: int, path: str, headers: dict[str, str], *, seconds: float,
             connections: int) -> LoadResult:
    wrk = wrk_path()
    assert wrk
    cmd = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
           "--timeout", "10s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=True)
    total, elapsed, errors = parse_wrk(done.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    ok = total - (int(non2xx.group(1)) if non2xx else 0)
    return LoadResult("wrk", ok, errors, elapsed)


# --- pure Python fallback ---------------------------------------------------------------------

def _run_python(port: int, path: str, headers: dict[str, str], *, seconds: float,
                connections: int) -> LoadResult:
    counts = [[0, 0] for _ in range(connections)]  # [ok, errors] per thread
    lock = threading.Lock()
    issued = [0]
    start = time.monotonic()
    deadline = start + seconds

    def worker(slot: list[int]) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if issued[0] >= MAX_REQUESTS:
                        return
                    issued[0] += 1
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        slot[0] += 1
                    else:
                        slot[1] += 1
                    if response.will_close:
                        conn.close()
                except (OSError, http.client.HTTPException):
                    slot[1] += 1
                    conn.close()
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in counts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 15)
    elapsed = time.monotonic() - start
    return LoadResult("python", sum(c[0] for c in counts), sum(c[1] for c in counts), elapsed)
