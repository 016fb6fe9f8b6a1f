# The prefix index: a trie whose nodes store their top-k query ids, against a trie that finds the
# top k at request time by walking the subtree under the prefix. Memory against work per keystroke.
import random

from casestudies import query_autocomplete as qa
from mlsd import show

BYTES_PER_NODE, BYTES_PER_ID = 12, 8        # assumed layout, as in the estimate (cell 1)

trie = qa.index(qa.SPLIT_DAY)
_, test = qa.split()
typed = [q for _, _, q in test[::10]]

# Both answer every prefix the same way; they differ in what they store and what they touch.
for q in typed[:25]:
    for p in (1, 2, 3):
        assert trie.topk(q[:p])[0] == trie.walk_topk(q[:p])[0], q[:p]
for prefix in ("w", "fl", "weather l"):
    top, steps = trie.topk(prefix)
    _, walked = trie.walk_topk(prefix)
    print(f"{prefix!r}: {top[:3]} ... nodes visited: precomputed {steps}, subtree walk {walked}")

sizes = trie.subtree_nodes(3)
rows = []
for p in (1, 2, 3):
    prefixes = [q[:p] for q in typed if len(q) > p]
    walk = sum(sizes.get(x, 0) for x in prefixes) / len(prefixes)
    read = [trie.topk(x) for x in prefixes]                  # measured: nodes stepped + ids read
    rows.append({"keystroke": p,
                 "precomputed: nodes + ids read": round(sum(s + len(t) for t, s in read) / len(read), 1),
                 "walk: nodes visited": round(walk)})
show.table(rows, title="Work per keystroke for the prefixes users typed (test window)")
ids = trie.entries()
show.table([
    {"index": "walk at request time", "nodes": trie.nodes, "ids stored": len(trie.queries),
     "bytes (assumed layout)": trie.nodes * BYTES_PER_NODE + len(trie.queries) * BYTES_PER_ID},
    {"index": f"top-{qa.K} per node", "nodes": trie.nodes, "ids stored": ids,
     "bytes (assumed layout)": trie.nodes * BYTES_PER_NODE + ids * BYTES_PER_ID},
], title=f"Memory of the index over {len(trie.queries):,} queries")
chars = sum(len(q) for q in trie.queries)
print(f"the estimate's inputs, measured on the toy: {trie.nodes / chars:.2f} new nodes per character, "
      f"{ids / trie.nodes:.2f} ids per node, {chars / len(trie.queries):.0f} characters per query")

# Growth: the same two designs over larger vocabularies drawn from the world's templates.
vocab = qa.templates()
random.Random(0).shuffle(vocab)
growth, sizes_n = [], (500, 1000, 2000, 4000)
for n in sizes_n:
    t = qa.TopKTrie(dict(vocab[:n]))
    first = t.subtree_nodes(1)
    traffic = {}                              # how often users type each first letter
    for q, weight in vocab[:n]:
        traffic[q[0]] = traffic.get(q[0], 0.0) + weight
    walk = sum(first[c] * weight for c, weight in traffic.items()) / sum(traffic.values())
    read = max(steps + len(top) for top, steps in map(t.topk, traffic))   # measured, worst letter
    growth.append({"queries": n, "nodes": t.nodes, "ids stored": t.entries(),
                   "walk nodes, 1st keystroke": round(walk),
                   "precomputed, 1st keystroke": read})
show.table(growth, title="How both grow with the vocabulary")
show.line_chart(list(sizes_n), {"subtree walk": [g["walk nodes, 1st keystroke"] for g in growth],
                                "precomputed top-k": [g["precomputed, 1st keystroke"] for g in growth]},
                x_title="queries in the index", y_title="work on the first keystroke",
                title="Work per keystroke against vocabulary size")

# The page: on the first keystroke the walk visits over a thousand nodes where the precomputed
# index reads at most 9 (one node, eight ids); the walk's work grows with the vocabulary (about
# four times over for 8 times the queries) while the precomputed read stays fixed. The price is
# memory: about 11 ids stored per indexed query, 1 to 2 per node, under twice the bare trie.
first_walk, first_read = rows[0]["walk: nodes visited"], rows[0]["precomputed: nodes + ids read"]
assert first_walk > 1000 and first_read <= 1 + qa.K, \
    f"the page quotes over a thousand nodes walked against at most 9 read, got {first_walk} and {first_read}"
assert rows[0]["walk: nodes visited"] > rows[2]["walk: nodes visited"], "the first keystroke is the costly one"
w = [g["walk nodes, 1st keystroke"] for g in growth]
assert all(b > a for a, b in zip(w, w[1:])) and 3 < w[-1] / w[0] < 5, \
    f"the page says the walk does about four times the work for 8 times the queries, got {w}"
assert all(g["precomputed, 1st keystroke"] <= 1 + qa.K for g in growth), "the precomputed read is fixed"
assert all(1.0 < g["ids stored"] / g["nodes"] < 2.0 for g in growth), "memory grows with the nodes"
assert 1.0 < ids / trie.nodes < 2.0 and 8 < ids / len(trie.queries) < 14, \
    f"the page quotes 1-2 ids per node and about 11 per query, got {ids / trie.nodes:.2f} and {ids / len(trie.queries):.1f}"
assert trie.nodes / chars < 0.4 and 1.4 < ids / trie.nodes < 1.8, \
    "the page says the toy's trie backs the estimate's 0.4 new nodes per character and 1.6 ids per node"
bare = trie.nodes * BYTES_PER_NODE + len(trie.queries) * BYTES_PER_ID
assert 1.5 < (trie.nodes * BYTES_PER_NODE + ids * BYTES_PER_ID) / bare < 2.0, "the page says under twice the bare trie"
