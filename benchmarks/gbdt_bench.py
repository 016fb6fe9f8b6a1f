"""GBDT benchmark: mlsd's pure-Python histogram GBDT beside LightGBM, same data, same settings.

    python benchmarks/gbdt_bench.py              # CPython + Pyodide (under Node), ~5 minutes
    python benchmarks/gbdt_bench.py --quick      # 2k rows only, no Pyodide
    python benchmarks/gbdt_bench.py --no-pyodide

For each size the click log is ``make_clicks(n=n, seed=0, base_ctr=0.1,
interaction_strength=3.0)`` (70 % train, 30 % test, in time order) and both
libraries get the same parameters: 50 trees, learning rate 0.1, 15 leaves, no
depth limit, min_data_in_leaf 20, 32 bins, l2 (lambda_l2) 1. LightGBM runs on one
thread. Reported per library: training time, test ROC-AUC, and for mlsd the
time to score the test rows by walking the trees vs with the compiled
nested-``if`` function (:meth:`mlsd.ranking.GBDT.compile`).

A second table times every model in :mod:`mlsd.ranking` at 5,000 rows with its
defaults — the budget a page cell has to live with. The Pyodide run generates
the same log inside Pyodide (the generator is identical there) and repeats the
mlsd measurements.

Timings are wall clock, best of ``REPEATS`` runs, and depend on the machine and
its load (the JSON records the load average); CPython rows also give the CPU
(process) time, which a busy machine inflates less. Writes
benchmarks/results/gbdt.json and gbdt.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mlsd import metrics  # noqa: E402
from mlsd.data.clicks import make_clicks  # noqa: E402
from mlsd.ranking import DCN, GBDT, FactorizationMachine, LogisticRegression, OneHotEncoder  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
PARAMS = dict(n_estimators=50, learning_rate=0.1, num_leaves=15, max_depth=None,
              min_data_in_leaf=20, max_bin=32, l2=1.0)
SIZES = (2_000, 5_000, 10_000)
REPEATS = 3

# The measurements, as one Python program run by CPython here and by Pyodide under Node.
MEASURE = r'''
import json, sys, time
from mlsd import metrics
from mlsd.data.clicks import make_clicks
from mlsd.ranking import DCN, GBDT, FactorizationMachine, LogisticRegression, OneHotEncoder

CPU = {}   # name -> best CPU seconds (process time), next to the wall-clock figures

def best_of(repeats, fn, name=None):
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    if name:
        CPU[name] = best_cpu
    return best, result

def gbdt_runs(sizes, params, repeats):
    out = []
    for n in sizes:
        log = make_clicks(n=n, seed=0, base_ctr=0.1, interaction_strength=3.0)
        X, y = log.matrix(), list(log.labels)
        cut = int(n * 0.7)
        fit_s, model = best_of(repeats, lambda: GBDT(**params).fit(X[:cut], y[:cut]), "fit")
        walk_s, p = best_of(repeats, lambda: model.predict_proba(X[cut:]))
        compile_s, _ = best_of(1, model.compile)
        compiled_s, q = best_of(repeats, lambda: model.predict_proba(X[cut:]))
        assert p == q
        out.append({"rows": n, "train_rows": cut, "fit_s": fit_s, "fit_cpu_s": CPU["fit"],
                    "auc": metrics.roc_auc(y[cut:], p), "score_walk_s": walk_s,
                    "compile_s": compile_s, "score_compiled_s": compiled_s,
                    "leaves": sum(t.n_leaves for t in model.trees)})
    return out

def model_runs(n, repeats):
    log = make_clicks(n=n, seed=0, base_ctr=0.1, interaction_strength=3.0)
    records, y = log.records(), list(log.labels)
    cut = int(n * 0.7)
    small = ["device", "placement", "ad_category", "user_interest"]
    onehot = OneHotEncoder(numeric=log.numeric_names, categorical=log.categorical_names,
                           crosses=[("user_interest", "ad_category"), ("device", "placement")])
    enc_s, (Xtr, Xte) = best_of(1, lambda: (onehot.fit_transform(records[:cut]), onehot.transform(records[cut:])))
    dense = OneHotEncoder(numeric=log.numeric_names, categorical=small).fit(records[:cut])
    Dtr, Dte = dense.transform(records[:cut]), dense.transform(records[cut:])
    M = log.matrix()
    runs = [("LogisticRegression", lambda: LogisticRegression(), Xtr, Xte, "one-hot + 2 crosses"),
            ("FactorizationMachine", lambda: FactorizationMachine(), Xtr, Xte, "one-hot + 2 crosses"),
            ("GBDT", lambda: GBDT(), M[:cut], M[cut:], "20 raw columns"),
            ("DCN", lambda: DCN(), Dtr, Dte, f"{dense.n_features} dense columns")]
    out = [{"model": "OneHotEncoder fit+transform", "input": f"{n} records", "fit_s": enc_s,
            "fit_cpu_s": None, "auc": None}]
    for name, make, tr, te, what in runs:
        fit_s, model = best_of(repeats, lambda: make().fit(tr, y[:cut]), name)
        out.append({"model": name, "input": what, "fit_s": fit_s, "fit_cpu_s": CPU[name],
                    "auc": metrics.roc_auc(y[cut:], model.predict_proba(te))})
    return out
'''


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def run_cpython(sizes, repeats) -> dict:
    namespace: dict = {}
    exec(MEASURE, namespace)
    return {"python": sys.version.split()[0],
            "gbdt": namespace["gbdt_runs"](sizes, PARAMS, repeats),
            "models": namespace["model_runs"](5_000, repeats)}


def run_lightgbm(sizes, repeats) -> list[dict]:
    """LightGBM on the raw features, and (AUC only) on mlsd's bin indices."""
    from bisect import bisect_left

    import lightgbm as lgb
    import numpy as np

    from mlsd.ranking import bin_edges

    def make(cut, **extra):
        return lgb.LGBMClassifier(
            n_estimators=PARAMS["n_estimators"], learning_rate=PARAMS["learning_rate"],
            num_leaves=PARAMS["num_leaves"], max_depth=-1,
            min_child_samples=PARAMS["min_data_in_leaf"], max_bin=PARAMS["max_bin"],
            reg_lambda=PARAMS["l2"], min_child_weight=1e-3, subsample_for_bin=cut,
            n_jobs=1, verbose=-1, **extra)

    out = []
    for n in sizes:
        log = make_clicks(n=n, seed=0, base_ctr=0.1, interaction_strength=3.0)
        rows, y = log.matrix(), list(log.labels)
        X, cut = np.array(rows), int(n * 0.7)
        best, model = float("inf"), None
        for _ in range(repeats):
            model = make(cut)
            start = time.perf_counter()
            model.fit(X[:cut], y[:cut])
            best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        p = list(model.predict_proba(X[cut:])[:, 1])
        score_s = time.perf_counter() - start
        edges = [bin_edges(col, PARAMS["max_bin"]) for col in zip(*rows[:cut])]
        B = np.array([[bisect_left(e, v) for e, v in zip(edges, r)] for r in rows], dtype=float)
        same_bins = make(cut, min_data_in_bin=1).fit(B[:cut], y[:cut])   # one bin per index
        out.append({"rows": n, "fit_s": best, "score_s": score_s,
                    "auc": metrics.roc_auc(y[cut:], p),
                    "auc_on_mlsd_bins": metrics.roc_auc(y[cut:], list(same_bins.predict_proba(B[cut:])[:, 1])),
                    "version": lgb.__version__})
    return out


def run_pyodide(sizes, repeats) -> dict:
    program = MEASURE + (
        "\njson.dumps({'python': sys.version.split()[0], "
        f"'gbdt': gbdt_runs({list(sizes)!r}, {PARAMS!r}, {repeats}), "
        f"'models': model_runs(5000, {repeats})}})\n")
    # The one Pyodide runner of tests and benchmarks: started as the page starts it.
    sys.path.insert(0, str(ROOT / "tests" / "node"))
    import node_pyodide
    value, _ = node_pyodide.run_program(program, capture=False)
    return json.loads(value)


def to_markdown(result: dict) -> str:
    ms = lambda s: f"{1000 * s:,.0f} ms"  # noqa: E731
    lines = ["# GBDT benchmark", "",
             f"mlsd's histogram GBDT (pure Python) beside LightGBM {result['lightgbm'][0]['version']} "
             "(one thread), same click logs, same parameters: "
             + ", ".join(f"`{k}={v}`" for k, v in PARAMS.items()) + ".",
             f"Data: `make_clicks(n=n, seed=0, base_ctr=0.1, interaction_strength=3.0)`, first 70 % of rows "
             "train, last 30 % test. Wall clock, best of "
             f"{result['repeats']}; load average {result['load_average']} on {result['machine']}.", "",
             "| rows | library | train | test ROC-AUC | score test rows: walk trees | compiled | compile |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    pyo = {r["rows"]: r for r in result.get("pyodide", {}).get("gbdt", [])}
    for ours, ref in zip(result["cpython"]["gbdt"], result["lightgbm"]):
        n = ours["rows"]
        lines.append(f"| {n:,} | LightGBM | {ms(ref['fit_s'])} | {ref['auc']:.4f} | {ms(ref['score_s'])} | | |")
        lines.append(f"| {n:,} | LightGBM on mlsd's bins | | {ref['auc_on_mlsd_bins']:.4f} | | | |")
        lines.append(f"| {n:,} | mlsd, CPython {result['cpython']['python']} | {ms(ours['fit_s'])} "
                     f"(CPU {ms(ours['fit_cpu_s'])}) | "
                     f"{ours['auc']:.4f} | {ms(ours['score_walk_s'])} | {ms(ours['score_compiled_s'])} | "
                     f"{ms(ours['compile_s'])} |")
        if n in pyo:
            p = pyo[n]
            lines.append(f"| {n:,} | mlsd, Pyodide {result['pyodide']['python']} | {ms(p['fit_s'])} | "
                         f"{p['auc']:.4f} | {ms(p['score_walk_s'])} | {ms(p['score_compiled_s'])} | "
                         f"{ms(p['compile_s'])} |")
    lines += ["", "AUC gap, mlsd minus LightGBM on the raw features: " + ", ".join(
        f"{o['rows']:,} rows {o['auc'] - r['auc']:+.4f}"
        for o, r in zip(result["cpython"]["gbdt"], result["lightgbm"])) + "; minus LightGBM on "
        "the same bins: " + ", ".join(
        f"{o['rows']:,} rows {o['auc'] - r['auc_on_mlsd_bins']:+.4f}"
        for o, r in zip(result["cpython"]["gbdt"], result["lightgbm"])) + ". "
        "mlsd chooses bin edges by LightGBM's rules (`mlsd.ranking.bin_edges`) and splits by "
        "the same rules, so the two grow the same trees up to rounding "
        "(tests/crosscheck/test_ranking_vs_sklearn_lightgbm.py). \"On mlsd's bins\" gives "
        "LightGBM each row's bin index instead of its raw values.", "",
        "## Every mlsd.ranking model at 5,000 rows (3,500 to train), default settings", "",
        "| model | input | train, CPython | train, Pyodide | test ROC-AUC |", "|---|---|---:|---:|---:|"]
    pyo_models = {r["model"]: r for r in result.get("pyodide", {}).get("models", [])}
    for r in result["cpython"]["models"]:
        p = pyo_models.get(r["model"])
        cpu = f" (CPU {ms(r['fit_cpu_s'])})" if r["fit_cpu_s"] else ""
        lines.append(f"| {r['model']} | {r['input']} | {ms(r['fit_s'])}{cpu} | "
                     f"{ms(p['fit_s']) if p else 'n/a'} | "
                     f"{'' if r['auc'] is None else format(r['auc'], '.4f')} |")
    lines += ["", "Written by `benchmarks/gbdt_bench.py`; timings vary with the machine and its load.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2k rows only, no Pyodide")
    parser.add_argument("--no-pyodide", action="store_true", help="skip the Pyodide run")
    args = parser.parse_args(argv)
    sizes = (2_000,) if args.quick else SIZES
    repeats = 1 if args.quick else REPEATS
    result = {"params": PARAMS, "sizes": list(sizes), "repeats": repeats,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "load_average": load_average()}
    print("CPython ...", flush=True)
    result["cpython"] = run_cpython(sizes, repeats)
    print("LightGBM ...", flush=True)
    result["lightgbm"] = run_lightgbm(sizes, repeats)
    if not (args.quick or args.no_pyodide):
        print("Pyodide ...", flush=True)
        result["pyodide"] = run_pyodide(sizes, repeats)
    result["load_average_after"] = load_average()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gbdt.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "gbdt.md").write_text(to_markdown(result))
    print(to_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
