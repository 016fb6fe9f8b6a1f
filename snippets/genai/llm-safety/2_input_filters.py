# Input filters tuned on known attacks, tested on variants they never saw.
# Two filters read the user's message and every retrieved document before the model does:
# a list of known attack phrases (regular expressions) and a naive Bayes classifier trained on
# 200 known attacks and 200 benign texts. Normalization (normalize=True) undoes spacing and base64 first.
from mlsd import show
from mlsd.llm_guard import (VARIANTS, Defences, SimulatedAssistant, TokenClassifier, known_attacks,
                            make_requests, run_pipeline)

THRESHOLD = 3.0       # the classifier flags a text whose log-odds of "attack" exceed this
SEED = 0

requests = make_requests(n_benign=600, n_attacks=300, seed=SEED)
classifier = TokenClassifier().fit(*known_attacks(n=200, seed=SEED + 1))
filters = {"phrase list": Defences(pattern_filter=True),
           "phrase list, normalized": Defences(pattern_filter=True, normalize=True),
           "classifier": Defences(classifier=classifier, threshold=THRESHOLD),
           "classifier, normalized": Defences(classifier=classifier, threshold=THRESHOLD, normalize=True),
           "both, normalized": Defences(pattern_filter=True, classifier=classifier, threshold=THRESHOLD,
                                        normalize=True)}
caught, false_refusals, bars = {}, {}, []
for name, d in filters.items():
    outcomes = run_pipeline(requests, SimulatedAssistant(), d, seed=SEED)
    attacks = [o for o in outcomes if o.attack]
    caught[name] = {v: sum(o.stopped_by in ("pattern filter", "classifier") for o in attacks if o.variant == v)
                    / sum(o.variant == v for o in attacks) for v in VARIANTS}
    benign = [o for o in outcomes if not o.attack]
    false_refusals[name] = sum(o.false_refusal for o in benign) / len(benign)
    bars += [{"filter": name, "variant": v, "caught": round(c, 4)} for v, c in caught[name].items()]
show.table([{"filter": name, **{v: round(c, 4) for v, c in caught[name].items()},
             "benign flagged": round(false_refusals[name], 4)} for name in filters],
           title="Share of attacks each input filter catches, by variant")
show.chart({"data": {"values": bars}, "mark": "bar",
            "encoding": {"x": {"field": "variant", "type": "nominal", "sort": list(VARIANTS), "axis": {"labelAngle": 0}},
                         "xOffset": {"field": "filter", "sort": list(filters)},
                         "y": {"field": "caught", "type": "quantitative", "title": "share of attacks caught"},
                         "color": {"field": "filter", "type": "nominal", "sort": list(filters)}},
            "width": "container", "height": 240}, title="Tuned on known wordings: obfuscation and paraphrase get past")

phrase_flags = [r for r, o in zip(requests, run_pipeline(requests, SimulatedAssistant(), filters["phrase list"], seed=SEED))
                if r.attack is None and o.false_refusal]
quoting = sum(any("ignore previous instructions" in doc for doc in r.documents) for r in phrase_flags)
print(f"{quoting} of the {len(phrase_flags)} benign requests the phrase list flags retrieved the security course "
      f"that quotes 'ignore previous instructions'")
best = caught["both, normalized"]
print(f"phrase list: plain {caught['phrase list']['plain']:.0%}, case {caught['phrase list']['case']:.0%}, "
      f"spaced {caught['phrase list']['spacing']:.0%}, base64 {caught['phrase list']['encoding']:.0%}, "
      f"paraphrase {caught['phrase list']['paraphrase']:.0%}")
print(f"both filters after normalization: paraphrase {best['paraphrase']:.0%} caught; "
      f"benign requests flagged {false_refusals['both, normalized']:.1%}")
# The claims on the page.
assert caught["phrase list"]["plain"] == caught["phrase list"]["case"] == 1, "known wordings are caught, any case"
assert max(caught["phrase list"][v] for v in ("spacing", "encoding", "paraphrase")) == 0, \
    "the phrase list misses spaced, encoded and paraphrased attacks"
assert caught["phrase list, normalized"]["spacing"] == caught["phrase list, normalized"]["encoding"] == 1, \
    "normalization buys back the mechanical obfuscations"
assert min(caught["classifier, normalized"][v] for v in ("spacing", "encoding")) > 0.9, \
    "normalization buys back the mechanical obfuscations for the classifier too"
assert best["paraphrase"] < 0.5, "no filter tuned on known attacks catches most paraphrases"
assert false_refusals["both, normalized"] > 0, "the filters also flag benign traffic"
assert quoting == len(phrase_flags) and \
    len(phrase_flags) > false_refusals["both, normalized"] * sum(r.attack is None for r in requests) / 2, \
    "most benign flags come from a quoted attack phrase"
if (THRESHOLD, SEED) == (3.0, 0):         # the figures the page quotes
    assert (round(best["paraphrase"], 4), round(false_refusals["both, normalized"], 4), len(phrase_flags)) == \
        (0.0833, 0.0333, 14), "the page quotes 8 % of paraphrases caught, 3.3 % of benign flagged, 14 quoting"
