# The knob of a learned input filter: its threshold trades missed attacks for refused users.
# The classifier (after normalization) is the only defence here. A lower threshold flags more
# texts: fewer attacks reach the model, more benign requests are refused or lose a document.
from mlsd import show
from mlsd.llm_guard import (Defences, SimulatedAssistant, TokenClassifier, known_attacks, make_requests, normalize,
                            run_pipeline)

THRESHOLDS = [-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0]    # log-odds of "attack" above which a text is flagged
CHOSEN = 3.0                                                       # the threshold the other cells use
SEED = 0

requests = make_requests(n_benign=600, n_attacks=300, seed=SEED)
classifier = TokenClassifier().fit(*known_attacks(n=200, seed=SEED + 1))
rows = []
for t in THRESHOLDS:
    outcomes = run_pipeline(requests, SimulatedAssistant(), Defences(classifier=classifier, threshold=t, normalize=True),
                            seed=SEED)
    attacks, benign = [o for o in outcomes if o.attack], [o for o in outcomes if not o.attack]
    para = [o for o in attacks if o.variant == "paraphrase"]
    rows.append({"threshold": t,
                 "attack success rate": round(sum(o.succeeded for o in attacks) / len(attacks), 4),
                 "paraphrases caught": round(sum(o.stopped_by == "classifier" for o in para) / len(para), 4),
                 "false refusal rate": round(sum(o.false_refusal for o in benign) / len(benign), 4)})
show.table(rows, title="Classifier threshold: attacks through vs benign requests refused")
show.line_chart(THRESHOLDS, {"attack success rate": [r["attack success rate"] for r in rows],
                             "false refusal rate": [r["false refusal rate"] for r in rows],
                             "paraphrases caught": [r["paraphrases caught"] for r in rows]},
                x_title="threshold (log-odds)", y_title="share", title="Moving the threshold moves the trade-off")

by_t = {r["threshold"]: r for r in rows}
loose, chosen = by_t[min(THRESHOLDS)], by_t[CHOSEN]
print(f"threshold {CHOSEN}: attack success {chosen['attack success rate']:.3f}, "
      f"false refusals {chosen['false refusal rate']:.3f}, paraphrases caught {chosen['paraphrases caught']:.3f}")
print(f"threshold {loose['threshold']}: attack success {loose['attack success rate']:.3f}, "
      f"false refusals {loose['false refusal rate']:.3f}, paraphrases caught {loose['paraphrases caught']:.3f}")
# The claims on the page.
fr = [r["false refusal rate"] for r in rows]
caught = [r["paraphrases caught"] for r in rows]
assert fr == sorted(fr, reverse=True) and caught == sorted(caught, reverse=True), \
    "a lower threshold flags more of everything, benign and paraphrased alike (by construction: a check on the sweep)"
assert loose["false refusal rate"] > 5 * chosen["false refusal rate"], "a loose threshold refuses many more users"
assert loose["paraphrases caught"] > chosen["paraphrases caught"], "...and it does catch more paraphrases"
assert loose["attack success rate"] > 0, "even then some attacks reach the model and succeed"
jumps = [(rows[i]["threshold"], rows[i + 1]["threshold"], rows[i]["false refusal rate"] - rows[i + 1]["false refusal rate"])
         for i in range(len(rows) - 1)]
lo, hi, jump = max(jumps, key=lambda j: j[2])
print(f"largest step: false refusals change by {jump:.4f} between thresholds {lo} and {hi}")
# Why one step: the toy wiki has 9 distinct documents and each request retrieves 3, so a document
# whose score crosses the threshold is flagged in about a third of benign requests at once.
benign_reqs = [r for r in requests if r.attack is None]
docs = sorted({d for r in benign_reqs for d in r.documents})
cliff = [d for d in docs if lo < classifier.score(normalize(d)) <= hi]
share = sum(any(d in cliff for d in r.documents) for r in benign_reqs) / len(benign_reqs)
print(f"{len(cliff)} of the {len(docs)} distinct documents score between {lo} and {hi} "
      f"and {share:.3f} of benign requests retrieve one: {[d[:40] + '...' for d in cliff]}")
assert jump > 0.25, "false refusals jump at one step: benign scores are not spread evenly"
assert cliff and abs(share - jump) < 0.05, "the step is the requests that retrieve the documents crossing it"
if SEED == 0:                             # the figures the page quotes
    assert len(cliff) == 1 and round(share, 3) == 0.373, "the page quotes one document, retrieved by 0.373"
    assert (chosen["attack success rate"], chosen["false refusal rate"], chosen["paraphrases caught"]) == \
        (0.1, 0.01, 0.0833), "the page quotes 0.100, 0.010 and 0.083 at threshold 3"
    assert (loose["attack success rate"], loose["false refusal rate"], loose["paraphrases caught"]) == \
        (0.0567, 0.415, 0.5333), "the page quotes 0.057, 0.415 and 0.533 at threshold -4"
    assert (lo, hi, round(jump, 4)) == (-2.0, -1.0, 0.3683), "the page quotes a step of 0.3683 between -2 and -1"
assert loose["paraphrases caught"] < 1, "...and even the loosest threshold misses some paraphrases"
