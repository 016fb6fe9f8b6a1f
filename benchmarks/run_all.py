"""Run every benchmark script in this folder, one after the other, and list the results files.

Benchmarks are not tests: they measure speed and quality as ratios within one run (ours beside a
reference library, or beside a floor) and write what they measured to benchmarks/results/. Run with
``./dev bench``; pass script names to run only some (``./dev bench retrieval_bench``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(selected: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    if not selected:
        return found
    by_name = {p.stem: p for p in found}
    unknown = [s for s in selected if s.removesuffix(".py") not in by_name]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; available: {sorted(by_name)}")
    return [by_name[s.removesuffix(".py")] for s in selected]


def main(argv: list[str]) -> int:
    failed = []
    for script in scripts(argv):
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {script.name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(script.name)
    print("results:", *sorted(p.relative_to(HERE.parent).as_posix() for p in (HERE / "results").glob("*")), sep="\n  ")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
