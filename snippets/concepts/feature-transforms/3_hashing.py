# The hashing trick: a fixed number of columns for IDs nobody enumerated.
# Impressions of 2,000 items by 1,000 users; each item and each user has its own effect on the
# click log-odds, and popular items and heavy users get most of the traffic (a Zipf-like law).
# IDs are random hex strings, as real IDs often are. Logistic regression learns one weight per
# column; with hashing, colliding IDs share a weight. Change N_ITEMS and watch how many buckets
# the model needs.
import bisect
import itertools
import math
import random

from mlsd import metrics, show
from mlsd.ranking import FeatureHasher, LogisticRegression, OneHotEncoder
from mlsd.transforms import collision_share, expected_collision_share

N_ITEMS, N_USERS = 2000, 1000
BUCKETS = [16, 64, 256, 1024, 4096, 16384]
N, cut = 12000, 8000                                 # time order: train on the first 8,000

rng = random.Random(0)
items = [(f"{rng.getrandbits(48):012x}", rng.gauss(0, 1.0)) for _ in range(N_ITEMS)]
users = [(f"{rng.getrandbits(48):012x}", rng.gauss(0, 1.0)) for _ in range(N_USERS)]
item_cum = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(N_ITEMS)))
user_cum = list(itertools.accumulate(1 / (r + 1) ** 0.5 for r in range(N_USERS)))


def draw(cum):
    return bisect.bisect(cum, rng.random() * cum[-1])


records, y = [], []
for _ in range(N):
    (item, a), (user, b) = items[draw(item_cum)], users[draw(user_cum)]
    records.append({"item": item, "user": user})
    y.append(int(rng.random() < 1 / (1 + math.exp(3.2 - a - b))))
y_train, y_test = y[:cut], y[cut:]
tokens = {f"{k}={v}" for r in records[:cut] for k, v in r.items()}     # distinct IDs in training


def test_auc(encoder):
    X_train, X_test = encoder.fit_split(records, cut)
    p = LogisticRegression(learning_rate=0.05, epochs=5).fit(X_train, y_train).predict_proba(X_test)
    return round(metrics.roc_auc(y_test, p), 4)


exact = OneHotEncoder(categorical=("item", "user"))
exact_auc = test_auc(exact)
rows = []
for b in BUCKETS:
    rows.append({"buckets (weights)": b, "weights, KB as float32": round(4 * b / 1024, 2),
                 "buckets per ID": round(b / len(tokens), 2),
                 "IDs that collide": round(collision_share(sorted(tokens), b), 3),
                 "formula": round(expected_collision_share(len(tokens), b), 3),
                 "test AUC": test_auc(FeatureHasher(b, categorical=("item", "user")))})
show.table(rows, title=f"Hashing {len(tokens):,} training IDs; one-hot with a vocabulary: AUC {exact_auc}")
show.line_chart([round(math.log2(b)) for b in BUCKETS],
                {"hashed": [r["test AUC"] for r in rows], "one-hot (exact vocabulary)": [exact_auc] * len(BUCKETS)},
                x_title="log2(number of buckets)", y_title="test AUC", y_zero=False,
                title="Collisions cost AUC until the buckets outnumber the IDs several times")
print(f"click rate {sum(y) / N:.3f}; {len(tokens):,} distinct item and user IDs in training, "
      f"{exact.n_features:,} vocabulary entries to store and ship with the one-hot model")
new = sum(1 for r in records[cut:] if f"item={r['item']}" not in tokens) / (N - cut)
print(f"{new:.1%} of test impressions show an item unseen in training: one-hot drops it, "
      f"hashing gives it a (shared) column")
small, big = rows[0], rows[-1]
print(f"{small['buckets (weights)']} buckets: AUC {small['test AUC']}; {big['buckets (weights)']} buckets: "
      f"AUC {big['test AUC']} with {big['IDs that collide']:.1%} of IDs colliding")
# The claims on the page.
assert small["test AUC"] < exact_auc - 0.05, f"page: 16 buckets (AUC {small['test AUC']}) cost several points against one-hot ({exact_auc})"
assert big["buckets per ID"] > 4 and abs(big["test AUC"] - exact_auc) < 0.01, \
    f"page: with {big['buckets per ID']} buckets per ID, hashing ({big['test AUC']}) is within 0.01 of one-hot ({exact_auc})"
assert all(abs(r["IDs that collide"] - r["formula"]) < 0.03 for r in rows), "page: the collision formula predicts the measured share"
assert rows[4]["IDs that collide"] > 0.4, f"page: at 4,096 buckets {rows[4]['IDs that collide']:.1%} of the IDs share a bucket"
assert big["buckets (weights)"] > exact.n_features, "page: hashing needs more weights than the exact vocabulary to match it"
