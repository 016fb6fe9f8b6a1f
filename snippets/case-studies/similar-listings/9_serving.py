# The similar-listings request for one listing page, timed stage by stage, with its work counted:
# fetch the listing's vector, list the live listings of its market, score them, keep the top 10.

from mlsd import serving, show
from casestudies import similar_listings as system

vectors = system.serving_vectors()
items = system.listings()
pages = [i.id for i in items if i.created < 0][::2]
times = {stage: [] for stage in system.SERVE_STAGES}
work = []
for listing in pages:
    out = system.serve(listing, vectors, k=10, day=35.0)
    for stage, ms in out["ms"].items():
        times[stage].append(ms)
    work.append(out["work"])
rows = serving.stage_table(times)
show.table(rows, title=f"⏱ {len(pages)} listing pages, in-process", varies=True)

per = work[0]
print(f"work per request: {per['candidates']} candidates scored, {per['dots']} dot products, "
      f"{per['bytes']:,} bytes of vectors read")

# How the work grows with the market: a live scan scores every listing of the market; a
# nightly top-200 list per listing makes the request a fixed read plus filters.
dim = 32
grow = [{"listings in the market": n, "live scan: multiply-adds": n * dim,
         "live scan: bytes read": (n + 1) * dim * 4,
         "precomputed top 200: bytes read": 200 * 8,
         "precomputed: availability checks": 200} for n in (500, 1_000, 10_000, 40_000)]
show.table(grow, title=f"Work per request at production size ({dim} float32 values a vector)")

assert all(w["dots"] == w["candidates"] for w in work), "a live scan scores every candidate once"
assert all(abs(w["candidates"] - 56) <= 6 for w in work), \
    "the page says a request here scores one market's live listings, about 57"
assert all(w["bytes"] == (w["candidates"] + 1) * system.DIM * 4 for w in work)
assert all(len(system.serve(p, vectors)["ids"]) == 10 for p in pages[:5])
assert grow[-1]["live scan: bytes read"] > 3_000 * grow[-1]["precomputed top 200: bytes read"]
