"""Helpers every benchmark shares: the server process, kamei homes, measured runs, results.

Every contender runs as a process of its own, started fresh for each run, and is
measured from outside: wall time from spawn to exit, the child's CPU time and
peak RSS from ``wait4``'s resource usage. The fake runs in another process
(see ``fakeserve.py``). Results go to ``bench/out/<name>.json``; ``report.py``
turns them into the tables of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = Path(os.environ.get("KAMEI_PYTHON", sys.executable))
"""The interpreter of the project's venv: runs kamei, the bare loop and the fake."""
KAMEI = PYTHON.parent / "kamei"
DLT_PYTHON = Path(os.environ.get("KAMEI_DLT_PYTHON", BENCH / ".venv-dlt" / "bin" / "python"))
SHOP = "bench"
# keyrings.alt's plaintext file: fine for throwaway benchmark stores, and it keeps the
# keyring out of the timings (a Secret Service round trip is not what we measure).
KEYRING_BACKEND = "keyrings.alt.file.PlaintextKeyring"


# --- the fake server ------------------------------------------------------------------


class Server:
    """A ``fakeserve.py`` process; use as a context manager."""

    def __init__(
        self, orders: int, *, mode: str = "stock", faults: str = "", seed: int = 7, tile: int = 0
    ) -> None:
        args = [str(PYTHON), str(BENCH / "fakeserve.py"), "--orders", str(orders)]
        args += ["--mode", mode, "--seed", str(seed)]
        if faults:
            args += ["--faults", faults]
        if tile:
            args += ["--tile", str(tile)]
        self.args = args
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.credential = ""
        self.orders = orders
        self.mode = mode
        self.faults = faults

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_clean_env()
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fake server did not start; run bench/fakeserve.py by hand")
        info = json.loads(line)
        self.base_url, self.credential = info["base_url"], info["credential"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _call(self, method: str, path: str) -> dict[str, Any]:
        request = urllib.request.Request(self.base_url + path, method=method)
        with urllib.request.urlopen(request, timeout=120) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data

    def log(self, window: float = 60.0) -> dict[str, Any]:
        return self._call("GET", f"/_bench/log?window={window}")

    def clear(self) -> None:
        self._call("POST", "/_bench/clear")

    def churn(self, n: int) -> dict[str, Any]:
        return self._call("POST", f"/_bench/churn?n={n}")


def _clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONPROFILEIMPORTTIME", "KAMEI_DEBUG"):
        env.pop(name, None)
    # Import kamei from the tree this bench/ lives in, whatever the venv was installed
    # from (KAMEI_BENCH_ROOT points at another checkout, to compare two versions).
    root = os.environ.get("KAMEI_BENCH_ROOT", str(ROOT))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


# --- kamei homes ----------------------------------------------------------------------


@dataclass
class KameiHome:
    """A throwaway kamei home with its own plaintext keyring file, one shop registered."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        return _clean_env(
            {
                "KAMEI_HOME": str(self.root / "home"),
                "PYTHON_KEYRING_BACKEND": KEYRING_BACKEND,
                "XDG_DATA_HOME": str(self.root / "keyring"),
                "LOCALAPPDATA": str(self.root / "keyring"),
            }
        )

    def kamei(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [str(KAMEI), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"kamei {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def stored_orders(self) -> int:
        """Orders in the store, as ``kamei status --json`` reports them for the shop."""
        status = json.loads(self.kamei("status", "--json"))
        shops = status["shops"] if isinstance(status, dict) else status
        return sum(int(shop["orders"]) for shop in shops if shop["name"] == SHOP)

    @property
    def db(self) -> Path:
        return self.root / "home" / "kamei.db"


@contextmanager
def kamei_home(server: Server, *, rate: float | None = None) -> Iterator[KameiHome]:
    """``kamei init`` + ``kamei shop add`` against ``server``; removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="kamei-bench-"))
    try:
        home = KameiHome(root)
        home.kamei("init")
        args = ["shop", "add", SHOP, "--platform", "colorme", "--base-url", server.base_url]
        args += ["--credential-stdin"]
        if rate is not None:
            args += ["--rate", f"{rate:g}"]
        home.kamei(*args, stdin=server.credential + "\n")
        yield home
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- measured runs --------------------------------------------------------------------


@dataclass
class Measured:
    """One process run: wall seconds, CPU seconds (user+sys), peak RSS in MiB, its stdout."""

    wall_s: float
    cpu_s: float
    max_rss_mib: float
    stdout: str
    returncode: int

    def json(self) -> dict[str, Any]:
        """The last stdout line as JSON (contenders print their own figures there)."""
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


def run_measured(
    cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> Measured:
    """Run ``cmd`` to completion and measure it from outside (wait4's rusage)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        env = dict(env or _clean_env())
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {proc.returncode}: {stderr[-2000:]}")
    return Measured(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        stdout=stdout,
        returncode=proc.returncode,
    )


# --- statistics -----------------------------------------------------------------------


@dataclass
class Summary:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def fmt(self, spec: str = ".2f", unit: str = "") -> str:
        return f"{self.median:{spec}}{unit} ({self.low:{spec}}–{self.high:{spec}}{unit})"


# --- results --------------------------------------------------------------------------


@dataclass
class Result:
    """One benchmark's figures, written to ``bench/out/<name>.json``."""

    name: str
    command: str
    params: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)

    def save(self) -> Path:
        OUT.mkdir(exist_ok=True)
        self.machine = self.machine or machine_info()
        path = OUT / f"{self.name}.json"
        path.write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False) + "\n")
        return path


def command_line() -> str:
    script = Path(sys.argv[0])
    inside = script.is_absolute() and script.is_relative_to(ROOT)
    shown = script.relative_to(ROOT) if inside else script
    return " ".join(["python", str(shown), *sys.argv[1:]])


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory, OS, Python and the versions of the libraries that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load average": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "-",
        "versions": versions(),
    }


def versions() -> dict[str, str]:
    from importlib import metadata

    out: dict[str, str] = {}
    for name in ("kamei", "httpx", "sqlalchemy", "sqlcipher3", "typer", "tenacity"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    try:
        import sqlcipher3.dbapi2 as sqlcipher

        out["sqlcipher"] = _sqlcipher_version(sqlcipher)
    except ImportError:
        pass
    import sqlite3

    out["sqlite3 (stdlib)"] = sqlite3.sqlite_version
    if DLT_PYTHON.exists():
        done = subprocess.run(
            [str(DLT_PYTHON), "-c", "import dlt; print(dlt.__version__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        out["dlt"] = done.stdout.strip() or "-"
    return out


def _sqlcipher_version(module: Any) -> str:
    conn = module.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row else "-"
    finally:
        conn.close()


def emit(payload: Mapping[str, Any]) -> None:
    """A contender's last stdout line: its own figures as JSON."""
    print(json.dumps(payload), flush=True)
