# IDs as one-hot columns, as a cross, or as learned vectors (embeddings), and the new user.
# 150 regular users and 80 items each have a hidden 2-d taste vector; a user likes an item when
# the two point the same way. New users keep arriving with a couple of impressions each, and new
# accounts engage less. Plays are the label (about 30 % of impressions). Change MIN_COUNT, the
# number of training impressions a user needs for an ID of their own; below it they share the
# out-of-vocabulary (OOV) index with every unseen user.
import math
import random

from mlsd import metrics, show
from mlsd.ranking import FactorizationMachine, LogisticRegression
from mlsd.transforms import Vocabulary

MIN_COUNT = 5
FM_RATE, FM_EPOCHS = 0.15, 6
N_USERS, N_ITEMS, N, cut = 150, 80, 10000, 7000     # time order: train on the first 7,000

rng = random.Random(0)


def direction():
    a = rng.uniform(0, 2 * math.pi)
    return math.cos(a), math.sin(a)


regulars = [(f"u{k}", direction(), rng.gauss(0, 0.3)) for k in range(N_USERS)]
items = [(f"i{k}", direction(), rng.gauss(0, 0.3)) for k in range(N_ITEMS)]
newcomers = []
log = []                                             # (user, item, played)
for t in range(N):
    if rng.random() < 0.8:
        user = regulars[rng.randrange(N_USERS)]
    else:                                            # a new account, or one of the last few
        if not newcomers or rng.random() < 0.5:
            newcomers.append((f"new{len(newcomers)}", direction(), rng.gauss(-0.8, 0.3)))
        user = newcomers[-1 - rng.randrange(min(3, len(newcomers)))]
    item = items[rng.randrange(N_ITEMS)]
    z = -1.2 + user[2] + item[2] + 2.5 * (user[1][0] * item[1][0] + user[1][1] * item[1][1])
    log.append((user[0], item[0], int(rng.random() < 1 / (1 + math.exp(-z)))))
y = [r[2] for r in log]
y_train, y_test = y[:cut], y[cut:]
seen = {r[0] for r in log[:cut]}
cold = [i - cut for i in range(cut, N) if log[i][0] not in seen]     # test rows of unseen users
warm = [i - cut for i in range(cut, N) if log[i][0] in seen]


def encode(min_count, cross=False, oov=True):
    """Sparse rows: user index, item index (and a user-item pair column for pairs seen in training).
    With oov=False every training user has an ID and an unseen user gets no user column at all."""
    users = Vocabulary(min_count if oov else 1).fit([r[0] for r in log[:cut]])
    item_vocab = Vocabulary(1).fit([r[1] for r in log[:cut]])
    u_idx = users.transform([r[0] for r in log])
    i_idx = item_vocab.transform([r[1] for r in log])
    pairs, rows = {}, []
    for t, (u, i) in enumerate(zip(u_idx, i_idx)):
        row = {u: 1.0, users.size + i: 1.0}
        if not oov:
            row.pop(Vocabulary.OOV, None)
        if cross:
            if t < cut:
                pairs.setdefault((u, i), len(pairs))
            if (u, i) in pairs:
                row[users.size + item_vocab.size + pairs[u, i]] = 1.0
        rows.append(row)
    return rows, users.size + item_vocab.size + len(pairs)


def evaluate(name, model, cross=False, oov=True, factors=0):
    X, width = encode(MIN_COUNT, cross, oov)
    p = model.fit(X[:cut], y_train).predict_proba(X[cut:])
    pc, yc = [p[i] for i in cold], [y_test[i] for i in cold]
    return {"model": name, "parameters": width * (1 + factors),
            "test AUC, known users": round(metrics.roc_auc([y_test[i] for i in warm], [p[i] for i in warm]), 4),
            "new users: predicted / observed plays": round(sum(pc) / sum(yc), 2),
            "new users: log loss": round(metrics.log_loss(yc, pc), 4)}


K = 2                                                # numbers per ID vector
lr = dict(learning_rate=0.3, epochs=5)
fm = dict(n_factors=K, learning_rate=FM_RATE, epochs=FM_EPOCHS, init_std=0.3, l2=1e-4)
rows = [evaluate("one-hot IDs, LR, no OOV bucket", LogisticRegression(**lr), oov=False),
        evaluate("one-hot IDs, LR, OOV bucket", LogisticRegression(**lr)),
        evaluate("one-hot IDs + user x item cross, LR, OOV bucket", LogisticRegression(**lr), cross=True),
        evaluate(f"embeddings, {K} numbers per ID (FM), OOV bucket", FactorizationMachine(**fm), factors=K)]
show.table(rows, title=f"{len(warm)} test impressions of known users, {len(cold)} of users unseen in training")
plain, onehot, crossed, emb_oov = rows
train_pairs = {(r[0], r[1]) for r in log[:cut]}
new_test_pairs = sum(1 for i in warm if (log[cut + i][0], log[cut + i][1]) not in train_pairs)
print(f"{sum(1 for u in seen if u.startswith('new'))} newcomer IDs in training; with MIN_COUNT = {MIN_COUNT} the "
      f"vocabulary keeps {Vocabulary(MIN_COUNT).fit([r[0] for r in log[:cut]]).size - 1} users, the rest share the OOV index")
print(f"{new_test_pairs / len(warm):.0%} of the known users' test impressions pair a user and an item never seen together")
print(f"known users: AUC {onehot['test AUC, known users']} one-hot, {crossed['test AUC, known users']} with the cross, "
      f"{emb_oov['test AUC, known users']} with embeddings")
print(f"new users: predicted / observed {plain['new users: predicted / observed plays']} without the OOV bucket, "
      f"{onehot['new users: predicted / observed plays']} with it")
# The claims on the page.
assert plain["parameters"] > 2 * onehot["parameters"], f"page: the OOV bucket prunes one-off IDs ({onehot['parameters']} vs {plain['parameters']})"
assert emb_oov["test AUC, known users"] > onehot["test AUC, known users"] + 0.1, "page: embeddings learn the user-item affinity one-hot IDs cannot"
assert crossed["test AUC, known users"] < emb_oov["test AUC, known users"] - 0.1, "page: a memorized cross does not generalize to new pairs"
assert plain["new users: predicted / observed plays"] > 1.15, \
    f"page: without an OOV bucket, new users are over-predicted ({plain['new users: predicted / observed plays']})"
assert abs(onehot["new users: predicted / observed plays"] - 1) < plain["new users: predicted / observed plays"] - 1, \
    "the OOV bucket learns what rare users do"
assert onehot["new users: log loss"] < plain["new users: log loss"], "page: and scores new users better"
assert emb_oov["new users: log loss"] > onehot["new users: log loss"], \
    f"page: the embedding model ({emb_oov['new users: log loss']}) is no better on new users than one-hot ({onehot['new users: log loss']})"
