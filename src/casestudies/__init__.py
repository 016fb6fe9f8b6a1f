"""The case studies' systems as code, one module per case study, named after its page's slug.

The page ``docs/case-studies/<slug>.md`` runs its system from ``casestudies.<slug with
underscores>``: the data builders, the trained models, the serving path. The algorithms come from
the teaching library :mod:`mlsd`; what lives here is what only one case study needs — its world,
its time windows, how its parts are wired together.

Builders are memoized with :func:`casestudies.memo.memoized`, so the second cell that needs a
trained model gets it at once, and :func:`casestudies.memo.release` frees them all when the reader
moves to another page.

- :mod:`casestudies.video_recommendations` — two-tower retrieval with an IVF index, a GBDT
  ranker, offline evaluation, an A/B simulation and a timed serving path.
- :mod:`casestudies.payment_fraud` — card payments with delayed chargebacks and fraud rings that
  adapt, velocity features in batch and online, rules plus a model, decisions by expected cost
  with a review queue, and a timed serving path.
- :mod:`casestudies.event_recommendation` — a city's short-lived events: geo-grid candidates with
  a time window, a GBDT ranker on registrations against a bucketized logistic regression,
  quality by the event's history, an A/B simulation with its sample size, a timed serving path
  and a drift alarm for a new supply source.
- :mod:`casestudies.news_feed` — a social feed: logged feeds with position bias, a six-head
  multi-task ranker (click, like, comment, share, hide, dwell) with a value model, freshness,
  integrity and diversity re-ranking, an A/B simulation on long-term metrics with CUPED, a timed
  serving path and a topic-drift alarm.
- :mod:`casestudies.ad_click_prediction` — ads in a social feed: delayed clicks and the label
  window, hashed features and crosses, negative downsampling and its recalibration, a model
  ladder (LR, GBDT, GBDT leaves + LR, DCN), second-price auctions, daily versus weekly
  retraining, an A/B simulation, a timed serving path and a calibration alarm.
- :mod:`casestudies.similar_listings` — a vacation-rental site: listing vectors from click
  sessions with skip-gram (booked listing as global context, same-market negatives) against a
  content-only similarity, cold-start vectors from the closest listings, session re-ranking of
  search with its counted cost, a paired search simulation and a timed serving path.
- :mod:`casestudies.visual_search` — a shopping catalogue searched by camera photos: a documented
  stand-in for the image encoder, a projection trained with InfoNCE, an IVF index with appends
  and rebuilds, near-duplicate removal, graded relevance labels, a click model where offline and
  online disagree, a timed serving path and a similarity-drift alarm.
- :mod:`casestudies.harmful_content` — posts with stand-in text and image embeddings and four
  rare harm classes: late against early fusion (with caption-plus-image memes), a shared trunk
  against one model per class, per-class thresholds, a review queue by expected harm, labels
  from reports, stratified prevalence, a timed serving path and spam that changes its words.
- :mod:`casestudies.query_autocomplete` — a search box's suggestions: a trie with the top
  completions precomputed per node against a subtree walk, popularity, time-decayed counts and
  personal history, an n-gram fill with stupid backoff for the long tail, a blocklist plus a
  classifier stand-in, a simulated A/B test, a timed serving path and a report alarm.
- :mod:`casestudies.video_search` — a video catalogue searched by short text queries: BM25 over
  weighted fields, a dense stand-in and their fusion measured per query kind, spelling
  correction and synonyms, pointwise against pairwise learning to rank on human grades, click
  labels with position bias and their IPW correction, interleaving against an A/B test, a timed
  serving path and an unknown-word alarm.
- :mod:`casestudies.people_you_may_know` — a social graph that grows by triadic closure and
  homophily: capped friend-of-friend candidates, graph heuristics against a GBDT, a leak from
  later edges, a neighbourhood embedding for new users, an A/B simulation on the world's hidden
  affinity, a timed serving path with an incremental candidate table and a staleness alarm.
- :mod:`casestudies.rag_assistant` — retrieval for an LLM assistant over internal documents:
  chunking measured against known answer spans, BM25, a dense stand-in and their fusion, a
  re-ranker, an extractive generator stand-in with a grounding check and abstention, index
  freshness, an A/B simulation, a timed serving path and a decline-rate alarm.
- :mod:`casestudies.delivery_time_estimation` — food delivery in one city zone: the delivery
  time split into preparation, pickup and travel with real-time signals, boosted regression
  trees against a restaurant-by-distance table, squared, absolute and quantile losses, a promise
  priced by the cost of lateness, prediction intervals and their coverage, an A/B simulation,
  a timed serving path with updates during delivery and a storm caught by a coverage alarm.
- :mod:`casestudies.image_privacy_blurring` — faces and licence plates in street panoramas: a
  documented stand-in detector (one-stage, two-stage, an improved v2), NMS in crowds, average
  precision, a blur threshold for 98 % recall with recall by condition, human review and
  re-processing of the archive, an audited online test, a timed batch path and a per-camera
  score-drift alarm.
"""
