"""Seeded synthetic data sets for the handbook's demos.

Every generator takes keyword arguments only (``make_clicks(n=5000, seed=0)``)
and returns the same data on CPython and in Pyodide (only ``random.Random`` and
integer/float arithmetic are used).
Expensive builders are memoized, so a second cell asking for the same data set
gets it instantly.

- :mod:`mlsd.data.recsys` — users, items with latent factors, Zipf popularity,
  timestamped interactions, cold-start users/items, a drift point.
- :mod:`mlsd.data.clicks` — click logs with ~20 features for CTR prediction.
- :mod:`mlsd.data.graph` — a social graph for people-you-may-know.
- :mod:`mlsd.data.search` — documents and queries with relevance labels.
"""
