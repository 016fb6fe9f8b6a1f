"""mlsd.ranking against reference libraries, on the same click logs with the same settings.

- LogisticRegression vs scikit-learn's (L-BFGS to convergence, C = 1 / (l2 * n)):
  test AUC within 0.005.
- GBDT vs LightGBM on the raw click-log features with identical parameters:
  the bin edges split the training values the same way, and the test AUC agrees
  within 0.005 at each size the benchmark uses (benchmarks/gbdt_bench.py) — in
  fact nearly every test row gets the same score, because the trees are the same.

scikit-learn and LightGBM are installed for the tests only; mlsd never imports them.
"""

import random
from bisect import bisect_left

import pytest

np = pytest.importorskip("numpy")
sp = pytest.importorskip("scipy.sparse")
sk_linear = pytest.importorskip("sklearn.linear_model")
lgb = pytest.importorskip("lightgbm")

from mlsd import metrics  # noqa: E402
from mlsd.data.clicks import make_clicks  # noqa: E402
from mlsd.ranking import GBDT, LogisticRegression, OneHotEncoder, bin_edges  # noqa: E402


def csr(rows, width):
    r, c, v = [], [], []
    for i, row in enumerate(rows):
        for j, x in row.items():
            r.append(i)
            c.append(j)
            v.append(x)
    return sp.csr_matrix((v, (r, c)), shape=(len(rows), width))


def test_logistic_regression_auc_matches_sklearn():
    log = make_clicks(n=10_000, seed=0, base_ctr=0.05)
    records, y = log.records(), list(log.labels)
    cut = 7_000
    enc = OneHotEncoder(numeric=log.numeric_names, categorical=log.categorical_names,
                        crosses=[("user_interest", "ad_category"), ("device", "placement")])
    X_train, X_test = enc.fit_transform(records[:cut]), enc.transform(records[cut:])
    l2 = 0.01
    ours = LogisticRegression(learning_rate=0.005, l2=l2, epochs=5).fit(X_train, y[:cut])
    # the same objective: mean log loss + l2/2 ||w||^2  <=>  C = 1 / (l2 * n)
    ref = sk_linear.LogisticRegression(C=1 / (l2 * cut), max_iter=5000)
    ref.fit(csr(X_train, enc.n_features), y[:cut])
    auc_ours = metrics.roc_auc(y[cut:], ours.predict_proba(X_test))
    auc_ref = metrics.roc_auc(y[cut:], list(ref.predict_proba(csr(X_test, enc.n_features))[:, 1]))
    assert auc_ref > 0.7
    assert abs(auc_ours - auc_ref) < 0.005, (auc_ours, auc_ref)


GBDT_SETTINGS = {   # "leaf-wise" is the benchmark's setting
    "leaf-wise": dict(n_estimators=50, learning_rate=0.1, num_leaves=15, max_depth=None,
                      min_data_in_leaf=20, max_bin=32, l2=1.0),
    "depth-limited": dict(n_estimators=40, learning_rate=0.2, num_leaves=8, max_depth=3,
                          min_data_in_leaf=50, max_bin=16, l2=0.0),
}


def lightgbm_like(params, cut):
    return lgb.LGBMClassifier(
        n_estimators=params["n_estimators"], learning_rate=params["learning_rate"],
        num_leaves=params["num_leaves"], max_depth=params["max_depth"] or -1,
        min_child_samples=params["min_data_in_leaf"], max_bin=params["max_bin"],
        reg_lambda=params["l2"], min_child_weight=1e-3, min_split_gain=0.0,
        subsample_for_bin=cut, n_jobs=1, verbose=-1)


def lightgbm_bins(X, max_bin, tmp_path):
    """The bin LightGBM puts each value of X in, read back from its dataset dump."""
    ds = lgb.Dataset(np.array(X), [0] * len(X), params=dict(
        max_bin=max_bin, bin_construct_sample_cnt=len(X), verbose=-1)).construct()
    ds._dump_text(str(tmp_path / "dataset.txt"))
    lines = (tmp_path / "dataset.txt").read_text().splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("feature "))
    return [[int(b) for b in line.strip().rstrip(",").split(",")]
            for line in lines[last + 1:last + 1 + len(X)]]


def same_partition(values, bins_a, bins_b):
    """True when two binnings group the distinct values into the same sets."""
    def groups(bins):
        out = {}
        for v, b in zip(values, bins):
            out.setdefault(b, set()).add(v)
        return sorted(sorted(g) for g in out.values())
    return groups(bins_a) == groups(bins_b)


def test_bin_edges_split_values_like_lightgbm(tmp_path):
    log = make_clicks(n=5_000, seed=0, base_ctr=0.1, interaction_strength=3.0)
    rng = random.Random(0)
    rows = []
    for x in log.matrix()[:3_500]:   # 20 real columns + 4 with negatives, zeros, a heavy value
        rows.append(x + [round(rng.gauss(0, 1), 2), rng.choice([0.0, 0.0, 0.0, rng.random()]),
                         rng.choice([-1.0, 2.0, 2.0, round(rng.uniform(-5, 5), 1)]),
                         float(rng.randrange(-3, 4))])
    for max_bin in (32, 8):
        theirs = lightgbm_bins(rows, max_bin, tmp_path)
        for j, column in enumerate(zip(*rows)):
            edges = bin_edges(column, max_bin)
            ours = [bisect_left(edges, v) for v in column]
            assert same_partition(column, ours, [r[j] for r in theirs]), (max_bin, j)


@pytest.mark.parametrize("name, rows, seed", [("leaf-wise", 2_000, 0), ("leaf-wise", 5_000, 0),
                                              ("leaf-wise", 10_000, 0), ("depth-limited", 8_000, 1)])
def test_gbdt_matches_lightgbm_on_raw_features(name, rows, seed):
    params = GBDT_SETTINGS[name]
    log = make_clicks(n=rows, seed=seed, base_ctr=0.1, interaction_strength=3.0)
    X, y = log.matrix(), list(log.labels)
    cut = int(rows * 0.7)
    ours = GBDT(**params).fit(X[:cut], y[:cut])
    ref = lightgbm_like(params, cut).fit(np.array(X[:cut]), y[:cut])
    z_ours = ours.decision_function(X[cut:])
    z_ref = list(ref.booster_.predict(np.array(X[cut:]), raw_score=True))
    auc_ours, auc_ref = metrics.roc_auc(y[cut:], z_ours), metrics.roc_auc(y[cut:], z_ref)
    assert auc_ref > 0.72
    assert abs(auc_ours - auc_ref) <= 0.005, (auc_ours, auc_ref)
    # The same trees: the same first split, and the same score for nearly every test row
    # (a near-tie between two features that cut the same rows may break either way).
    root = ref.booster_.dump_model()["tree_info"][0]["tree_structure"]
    assert ours.trees[0].feature[0] == root["split_feature"]
    assert ours.trees[0].threshold[0] == pytest.approx(root["threshold"], rel=1e-9, abs=1e-30)
    same = sum(abs(a - b) < 1e-6 for a, b in zip(z_ours, z_ref))
    assert same >= 0.99 * len(z_ours), same
