"""Same seed, same results in CPython and in Pyodide (Python 3.14 under Node).

The generators promise bit-identical data; the indexes and the two-tower model
run float code whose last bits may differ between Python versions (``sum`` of
floats is compensated from 3.12 on), so for them we compare what a page prints:
ids and rounded scores.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = textwrap.dedent("""
    import hashlib, json
    from mlsd.data.recsys import make_recsys, make_ann_dataset
    from mlsd import retrieval as R
    from mlsd.two_tower import TwoTower, feature_tokens

    data = make_recsys(n_users=300, n_items=500, n_events=4000, seed=9)
    ann = make_ann_dataset(n=600, n_queries=20, d=16, n_clusters=8, seed=9)
    out = {"recsys": hashlib.sha256(repr((data.users, data.items, data.events)).encode()).hexdigest(),
           "ann": hashlib.sha256(repr(ann).encode()).hexdigest()}
    for index in (R.ExactIndex(), R.IVFIndex(nlist=8, nprobe=2), R.HNSWIndex(M=6, ef_construction=24),
                  R.LSHIndex(n_bits=6, n_tables=4), R.PQIndex(m=4, n_centroids=16)):
        index.build(ann.vectors)
        res = index.search_batch(ann.queries, 5)
        out[index.kind] = [[(i, round(s, 6)) for i, s in r] for r in res]
    train = [(e.user, e.item) for e in data.interactions()][:600]
    users, items = feature_tokens(data)
    model = TwoTower(dim=8, seed=1).fit(train, users, items, epochs=1)
    out["two_tower"] = [round(x, 6) for x in model.history + model.user_vector(0)]
    print(json.dumps(out))
""")

sys.path.insert(0, str(ROOT / "tests" / "node"))
import node_pyodide  # noqa: E402  (the one Pyodide runner: started as the page starts it)


@pytest.mark.pyodide
def test_same_data_and_results_in_pyodide():
    if shutil.which("node") is None or not (ROOT / "node_modules" / "pyodide").exists():
        pytest.skip("node and the pyodide npm package are needed for this test")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cpython = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                             check=True, cwd=ROOT, env=env)
    _, printed = node_pyodide.run_program(PROGRAM)
    ours, theirs = json.loads(cpython.stdout), json.loads(printed.strip().splitlines()[-1])
    assert ours.keys() == theirs.keys()
    for key in ours:
        assert ours[key] == theirs[key], key
