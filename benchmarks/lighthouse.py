"""Lighthouse on three pages: the landing page, a lab and a case study.

The site is built and served from 127.0.0.1 under /handbook/, compressing text with gzip as
static hosts such as GitHub Pages do. Lighthouse (pinned on npm) drives Debian's Chromium, with the
desktop preset (no CPU slow-down, a fast network simulated), several runs per page; the medians of
the performance and accessibility scores and of the metrics behind them are reported. Targets:
performance >= 95 (0.95), accessibility 100 (1.0).

Not a test: run with ``./dev bench lighthouse`` (or ``python benchmarks/lighthouse.py``); writes
benchmarks/results/lighthouse.{json,md}. Reuse a built site with LIGHTHOUSE_SITE=<dir>.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cells_startup import BASE, CHROMIUM, ROOT, _Handler, build_site  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
PAGES = {"landing page": "", "lab": "concepts/offline-metrics/", "case study": "case-studies/video-recommendations/"}
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
         "--disable-component-update --disable-sync")
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index"]
TARGETS = {"performance": 0.95, "accessibility": 1.0}
TEXT = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")


class _Gzip(_Handler):
    """Text compressed with gzip when the browser accepts it, like a static host."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (not path.endswith(TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run([str(LIGHTHOUSE), url, "--preset=desktop", f"--chrome-flags={FLAGS}",
                    "--only-categories=performance,accessibility", "--output=json", f"--output-path={out}",
                    "--quiet"], check=True, env=env, cwd=ROOT, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = [a["id"] for a in report["categories"]["accessibility"]["auditRefs"]
               if audits[a["id"]].get("score") not in (None, 1)]
    return {"performance": report["categories"]["performance"]["score"],
            "accessibility": report["categories"]["accessibility"]["score"],
            **{m: audits[m]["numericValue"] for m in METRICS},
            "bytes": audits["total-byte-weight"]["numericValue"],
            "main_thread_ms": audits["mainthread-work-breakdown"]["numericValue"],
            "top_scripts": [(i["url"].rsplit("/", 1)[-1], round(i["total"]))
                            for i in audits["bootup-time"]["details"]["items"][:3]],
            "accessibility_failing": failing}


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci` (./dev does it for you)")
    tmp = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    site = tmp / "site"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=str(site)))
    url = f"http://127.0.0.1:{httpd.server_address[1]}{BASE}"
    if os.environ.get("LIGHTHOUSE_SITE"):
        shutil.copytree(os.environ["LIGHTHOUSE_SITE"], site)
    else:
        print(f"building the site for {url} …", flush=True)
        build_site(site, url)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    runs: dict[str, list[dict]] = {name: [] for name in PAGES}
    try:
        for i in range(RUNS):
            for name, path in PAGES.items():
                result = lighthouse(url + path, tmp / f"{i}.json")
                runs[name].append(result)
                print(f"run {i + 1}/{RUNS} {name}: performance {result['performance']:.2f}, "
                      f"accessibility {result['accessibility']:.2f}, TBT {result['total-blocking-time']:.0f} ms",
                      flush=True)
    finally:
        httpd.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {}
    for name, results in runs.items():
        med = {k: statistics.median(r[k] for r in results) for k in ["performance", "accessibility", *METRICS,
                                                                        "bytes", "main_thread_ms"]}
        med["top_scripts"] = results[-1]["top_scripts"]
        med["accessibility_failing"] = sorted({a for r in results for a in r["accessibility_failing"]})
        med["met"] = {k: med[k] >= v for k, v in TARGETS.items()}
        summary[name] = med
    report = {"pages": PAGES, "runs_count": RUNS, "summary": summary, "targets": TARGETS, "runs": runs,
              "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "lighthouse.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


def markdown(report: dict) -> str:
    lines = ["# Lighthouse", "",
             f"Medians of {report['runs_count']} runs per page, Lighthouse desktop preset, Debian's Chromium, site "
             f"served from 127.0.0.1 with gzip ({report['machine']['cpus']} CPUs, load average "
             f"{', '.join(f'{x:.1f}' for x in report['machine']['load_average'])} when it finished). "
             "Targets: performance ≥ 95, accessibility 100.", "",
             "| page | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS | SI ms | bytes | main thread ms | heaviest scripts (ms) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in report["summary"].items():
        yes = lambda k: "" if s["met"][k] else " **(below target)**"  # noqa: E731
        lines.append(
            f"| {name} (/{report['pages'][name]}) | {s['performance'] * 100:.0f}{yes('performance')} | "
            f"{s['accessibility'] * 100:.0f}{yes('accessibility')} | {s['first-contentful-paint']:,.0f} | "
            f"{s['largest-contentful-paint']:,.0f} | {s['total-blocking-time']:,.0f} | {s['cumulative-layout-shift']:.3f} | "
            f"{s['speed-index']:,.0f} | {s['bytes'] / 1000:,.0f} KB | {s['main_thread_ms']:,.0f} | "
            f"{', '.join(f'{u} {t}' for u, t in s['top_scripts'])} |")
    failing = {a for s in report["summary"].values() for a in s["accessibility_failing"]}
    lines += ["", f"Accessibility audits failing on any run: {', '.join(sorted(failing)) or 'none'}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
