# Federated averaging on simulated phones: each client trains on its own rows from the global
# weights, the server averages what comes back. Compare with central training and with each
# client alone; then show what one client's update reveals.
import math
import random

from mlsd import metrics, show
from mlsd.privacy import federated_averaging, predict_logistic, train_logistic

CLIENTS = 20
ROUNDS = 10
D = 6

rng = random.Random(5)
true_w = [rng.gauss(0, 1) for _ in range(D)]


def draw(n, shift):                          # each client's users differ: shifted features
    X = [[rng.gauss(shift[j], 1) for j in range(D)] for _ in range(n)]
    y = [int(rng.random() < 1 / (1 + math.exp(-(sum(w * x for w, x in zip(true_w, r)) - 1.0)))) for r in X]
    return X, y


clients = []
for _ in range(CLIENTS):
    shift = [rng.gauss(0, 0.7) for _ in range(D)]
    clients.append(draw(rng.randrange(20, 120), shift))
Xt, yt = [], []
for _ in range(10):
    Xs, ys = draw(100, [rng.gauss(0, 0.7) for _ in range(D)])
    Xt, yt = Xt + Xs, yt + ys
X_all = [r for X, _ in clients for r in X]
y_all = [v for _, y in clients for v in y]


def auc(w):
    return round(metrics.roc_auc(yt, predict_logistic(w, Xt)), 4)


central = auc(train_logistic(X_all, y_all, epochs=ROUNDS, seed=0))
fedavg = auc(federated_averaging(clients, rounds=ROUNDS, local_epochs=1))
alone = [auc(train_logistic(X, y, epochs=ROUNDS, seed=0)) for X, y in clients]
sent = ROUNDS * CLIENTS * 2 * (D + 1)        # weights down and up, per client per round
show.table([{"training": "central (all rows pooled on a server)", "test ROC-AUC": central, "rows leaving phones": len(y_all),
             "numbers sent": len(y_all) * (D + 1)},
            {"training": f"FedAvg, {ROUNDS} rounds", "test ROC-AUC": fedavg, "rows leaving phones": 0, "numbers sent": sent},
            {"training": "each client alone (median)", "test ROC-AUC": sorted(alone)[CLIENTS // 2],
             "rows leaving phones": 0, "numbers sent": 0}],
           title=f"{CLIENTS} clients with {min(len(y) for _, y in clients)}-{max(len(y) for _, y in clients)} rows each")
print(f"FedAvg reaches ROC-AUC {fedavg} against {central} central; clients alone range "
      f"{min(alone)}-{max(alone)}")

# What an update reveals: a client holding one row returns w - lr * (p - y) * [x, 1].
# Dividing the change in each weight by the change in the bias gives x back exactly.
w0 = [0.1] * (D + 1)
secret_x = [round(rng.gauss(0, 1), 3) for _ in range(D)]
update = train_logistic([secret_x], [1], epochs=1, batch_size=1, learning_rate=0.1, weights=w0)
delta = [u - v for u, v in zip(update, w0)]
recovered = [round(dj / delta[-1], 6) for dj in delta[:-1]]
print(f"the client's private row: {secret_x}")
print(f"read off its update:      {recovered}")
assert abs(fedavg - central) < 0.02, "FedAvg is within 0.02 AUC of central training"
assert fedavg > sorted(alone)[CLIENTS // 2] + 0.01, "FedAvg beats the median client training alone"
assert max(abs(a - b) for a, b in zip(recovered, secret_x)) < 1e-6, "one row's update reveals the row"
