"""Click-through-rate models, from the linear baseline to trees and cross networks.

Every model has the same small interface — ``fit(X, y)``, ``predict_proba(X)``
(click probabilities) and ``decision_function(X)`` (logits) — and takes rows as
dense lists of numbers or as sparse ``{column: value}`` dicts from the encoders.

- :mod:`~mlsd.ranking.base` — what every model shares: the sigmoid, the start at the
  base rate's log-odds, the hyperparameter checks and their names.
- :mod:`~mlsd.ranking.features` — one-hot encoding, feature hashing, feature crosses.
- :mod:`~mlsd.ranking.logistic` — logistic regression by SGD with L2 (the baseline).
- :mod:`~mlsd.ranking.fm` — factorization machine: every pairwise interaction in O(kn).
- :mod:`~mlsd.ranking.gbdt` — histogram gradient-boosted trees; leaves as features for LR.
- :mod:`~mlsd.ranking.dcn` — Deep & Cross Network with hand-written backpropagation.

A typical cell::

    from mlsd.data.clicks import make_clicks
    from mlsd.ranking import FeatureHasher, LogisticRegression
    log = make_clicks(n=5000, seed=0)
    enc = FeatureHasher(4096, numeric=log.numeric_names, categorical=log.categorical_names,
                        crosses=[("user_interest", "ad_category")])
    X = enc.fit_transform(log.records())
    model = LogisticRegression().fit(X[:4000], log.labels[:4000])
    p = model.predict_proba(X[4000:])
"""

from mlsd.ranking.base import ClickModel, sigmoid
from mlsd.ranking.dcn import DCN
from mlsd.ranking.features import (FeatureHasher, OneHotEncoder, as_sparse, cross_token, hash_index,
                                   to_dense)
from mlsd.ranking.fm import FactorizationMachine
from mlsd.ranking.gbdt import GBDT, bin_edges
from mlsd.ranking.logistic import LogisticRegression

__all__ = ["LogisticRegression", "FactorizationMachine", "GBDT", "DCN", "OneHotEncoder",
           "FeatureHasher", "hash_index", "cross_token", "as_sparse", "to_dense", "bin_edges",
           "sigmoid", "ClickModel"]
