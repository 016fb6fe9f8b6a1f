"""Run a cell file with CPython in a fresh process: the one way the build and the tests do it.

``run_file(path)`` starts ``python -m cellrunner <path>`` with the environment every cell run
gets — the handbook's packages on ``PYTHONPATH``, the fixed hash seed the page's Pyodide also
uses (docs/assets/cells/python.js), UTF-8 output, no bytecode files — and a CPU-time budget, and
returns the report of :func:`cellrunner.collect`. The CPU budget is watched from this process
(where /proc exists), so the cell's own CPU clock keeps its full resolution. A run that could not finish raises
:class:`ProcessFailure`, whose ``reason`` says why; an error *inside* the cell is not a failure
here: it is an ``error`` event in the report, for the caller to judge.

This module is for CPython only (it starts a process); the browser never imports it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

#: The directory holding mlsd, casestudies and cellrunner (``src/``).
SRC = Path(__file__).resolve().parent.parent
#: The hash seed of every cell run, here and in the page (python.js passes the same to Pyodide).
HASH_SEED = "0"
#: Environment variables a cell run inherits from the caller; everything else is left out.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
# The kernel ends a process past RLIMIT_CPU with SIGXCPU, and past the hard limit with SIGKILL.
_CPU_SIGNALS = tuple(-getattr(signal, s) for s in ("SIGXCPU", "SIGKILL") if hasattr(signal, s))
# How often the CPU time of a running cell is read (its budget may be overrun by about this much).
_POLL_S = 0.05


def _cpu_reader():
    """A function giving a process's CPU seconds from /proc, or None where there is no /proc.

    The budget is watched from outside rather than set as the child's RLIMIT_CPU: while a CPU
    limit is armed, Linux updates the process's CPU clock only every few milliseconds, so
    ``time.process_time()`` in a cell would read 0 for short steps — unlike in ``python x.py``
    or in Pyodide.
    """
    if not os.path.exists(f"/proc/{os.getpid()}/stat"):
        return None
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0  # gone already: communicate() will see it end
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime (fields 14 and 15)
    return cpu_seconds


class ProcessFailure(Exception):
    """The cell's process did not produce a report.

    ``reason`` is ``"cpu"`` (past its CPU-time budget), ``"wall"`` (past the wall-clock limit:
    it was waiting, not computing) or ``"exit"`` (the process died; ``stderr`` says how).
    """

    def __init__(self, reason: str, message: str, stderr: str = ""):
        super().__init__(message)
        self.reason = reason
        self.stderr = stderr


def cell_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a cell process, built from ``base`` (default: ``os.environ``)."""
    base = os.environ if base is None else base
    env = {k: v for k, v in base.items() if k in INHERITED}
    env.update(PYTHONPATH=str(SRC), PYTHONHASHSEED=HASH_SEED, PYTHONIOENCODING="utf-8",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def run_file(path: str | os.PathLike, *, name: str | None = None, cpu_seconds: float = 10.0,
             wall_seconds: float = 120.0, cwd: str | os.PathLike | None = None) -> dict:
    """Run the cell in ``path`` in a fresh CPython process; return ``{"events", "result"}``.

    ``name`` is the file name tracebacks show (default: the file's own name). The process is
    ended once it has used ``cpu_seconds`` of CPU time, or after ``wall_seconds`` in all.
    Raises :class:`ProcessFailure` when the process gives no report, ``FileNotFoundError`` when
    ``path`` is not a file and ``ValueError`` for a budget that is not positive.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path: {path} is not a file")
    for arg, value in (("cpu_seconds", cpu_seconds), ("wall_seconds", wall_seconds)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
            raise ValueError(f"{arg} must be a positive number of seconds, got {value!r}")
    cmd = [sys.executable, "-m", "cellrunner", str(path), "--name", name or path.name]
    watch = _cpu_reader()
    if watch is None:  # no /proc: the kernel's CPU limit enforces the budget instead
        cmd += ["--cpu-seconds", str(cpu_seconds)]
    proc = subprocess.Popen(cmd, cwd=cwd or SRC.parent, env=cell_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    deadline = time.monotonic() + wall_seconds
    over = None
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=_POLL_S)
            break
        except subprocess.TimeoutExpired:
            if watch is not None and watch(proc.pid) > cpu_seconds:
                over = "cpu"
            elif time.monotonic() > deadline:
                over = "wall"
            if over:
                proc.kill()
                stdout, stderr = proc.communicate()
                break
    if over == "wall":
        raise ProcessFailure("wall", f"did not finish within {wall_seconds:g} s of wall-clock time "
                                     "(is it waiting for something?)")
    if over == "cpu" or proc.returncode in _CPU_SIGNALS:
        raise ProcessFailure("cpu", f"used more than its budget of {cpu_seconds:g} s of CPU time", stderr)
    if proc.returncode != 0:
        raise ProcessFailure("exit", f"could not be run (exit {proc.returncode}):\n{stderr}", stderr)
    return json.loads(stdout)
