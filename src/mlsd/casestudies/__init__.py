"""Case studies as code: each module assembles one complete, small system from the library's parts.

A case-study page runs its system in many cells. Each cell is a complete program, so each must be
able to build the data and the models on its own; the builders here are memoized, so in one
interpreter (the page's Pyodide, a test session) the second cell that asks for a trained model
gets it at once.

- :mod:`mlsd.casestudies.video` — video recommendations: two-tower retrieval with an IVF index,
  a GBDT ranker, offline evaluation, an A/B simulation and a timed serving path.
"""
