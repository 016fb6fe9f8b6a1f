"""``python -m cellrunner FILE [--name NAME]``: run a cell file, print its events as JSON.

The build and the tests run each cell this way, in its own process with a time budget, through
``cellrunner.process.run_file`` (which sets the environment). The program's own
output is captured by the runner, so standard output carries only the JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from .runner import collect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cellrunner", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="the cell's Python file")
    parser.add_argument("--name", help="the file name tracebacks show (default: the file's name)")
    parser.add_argument("--cpu-seconds", type=float, default=None,
                        help="end the process (SIGXCPU) once it has used this much CPU time")
    args = parser.parse_args(argv)
    if args.cpu_seconds:
        _limit_cpu(args.cpu_seconds)
    with open(args.file, encoding="utf-8") as f:
        source = f.read()
    # Keep the real stdout for the JSON; anything written to fd 1 behind Python's back goes to 2.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    report = collect(source, filename=args.name or os.path.basename(args.file))
    json.dump(report, out, ensure_ascii=False)
    out.write("\n")
    out.flush()
    return 0


def _limit_cpu(seconds: float) -> None:
    """A CPU-time budget holds on a busy machine, where a wall-clock one would not."""
    try:
        import resource
    except ImportError:  # not on Windows: the caller's wall-clock timeout still applies
        return
    limit = max(1, int(seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))


if __name__ == "__main__":
    sys.exit(main())
