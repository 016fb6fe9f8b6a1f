# Defence in depth: each layer alone, then stacked, on the same 900 requests and the same draws.
# Attack success rate is the security; false refusals and confirmations are the usability cost.
from mlsd import show
from mlsd.llm_guard import Defences, SimulatedAssistant, TokenClassifier, known_attacks, make_requests, run_pipeline, summarize

FOLLOW, FOLLOW_MARKED = 0.5, 0.2     # the stand-in's obedience, plain and in marked untrusted content
THRESHOLD = 3.0
SEED = 0

requests = make_requests(n_benign=600, n_attacks=300, seed=SEED)
classifier = TokenClassifier().fit(*known_attacks(n=200, seed=SEED + 1))
assistant = SimulatedAssistant(follow=FOLLOW, follow_marked=FOLLOW_MARKED)
LAYERS = [("phrase list", dict(pattern_filter=True, normalize=True)),
          ("classifier", dict(classifier=classifier, threshold=THRESHOLD, normalize=True)),
          ("marking untrusted text", dict(mark_untrusted=True)),
          ("least privilege", dict(least_privilege=True)),
          ("tool validation", dict(validate_tools=True)),
          ("text policy", dict(text_policy=True)),
          ("confirmation", dict(confirm_risky=True))]


runs = []                                 # every run's outcomes, in order


def measure(settings):
    runs.append(run_pipeline(requests, assistant, Defences(**settings), seed=SEED))
    s = summarize(runs[-1])[0]
    return {"attack success rate": s["attack success rate"], "false refusal rate": s["false refusal rate"],
            "confirmations per benign request": s["confirmations per benign request"]}


rows = [{"defences": "none", **measure({})}]
rows += [{"defences": f"{name} alone", **measure(settings)} for name, settings in LAYERS]
stack = {}
for name, settings in LAYERS:
    stack.update(settings)
    rows.append({"defences": "all layers" if name == LAYERS[-1][0] else f"stack up to {name}", **measure(stack)})
full = runs[-1]                           # the outcomes with every layer on
show.table(rows, title="Attack success and usability cost, layer by layer")
stacked = rows[len(LAYERS) + 1:]
show.line_chart(list(range(1, len(LAYERS) + 1)),
                {"attack success rate": [r["attack success rate"] for r in stacked],
                 "false refusal rate": [r["false refusal rate"] for r in stacked],
                 "confirmations per benign request": [r["confirmations per benign request"] for r in stacked]},
                x_title="layers stacked (in the table's order)", y_title="share of requests",
                title="Each layer lowers attack success; the costs add up")

none, alone, every = rows[0], rows[1:len(LAYERS) + 1], rows[-1]
inputs_only = stacked[1]
print(f"no defence: attack success {none['attack success rate']:.3f}")
print(f"best single layer: {min(alone, key=lambda r: r['attack success rate'])['defences']} "
      f"({min(r['attack success rate'] for r in alone):.3f})")
print(f"all layers: attack success {every['attack success rate']:.4f} "
      f"({round(every['attack success rate'] * 300)} of 300 attacks), false refusals {every['false refusal rate']:.3f}, "
      f"confirmations on {every['confirmations per benign request']:.0%} of benign requests")
# Red-team the gap: a text-only goal (a phone number, no link) in new wording, planted in documents.
probe = make_requests(n_benign=0, n_attacks=200, indirect_share=1.0, variants=["paraphrase"],
                      indirect_goals=["phone"], seed=SEED + 7)
gap = summarize(run_pipeline(probe, assistant, Defences(**stack), seed=SEED))[0]["attack success rate"]
print(f"red team, 200 paraphrased phone-number injections: attack success {gap:.3f} with all layers")
# Why confirmation adds nothing here: few attacks ask for an action the allow-lists accept, and
# an obeyed one reaches the confirmation step only when the user's own task needed that tool.
valid = [r for r in requests if r.attack is not None and r.attack.tool == "delete_file"
         and r.attack.target.startswith("workspace/")]
reached = sum(o.followed and o.confirmations for o in full)
print(f"{len(valid)} of 300 attacks ask for an action the allow-lists accept (delete a report in the user's "
      f"workspace); obeyed attacks that reached the confirmation step: {reached}")
# The claims on the page.
assert all(r["attack success rate"] > 0.05 for r in alone), "no layer alone stops 95 % of attacks"
assert every["attack success rate"] < 0.02, "all layers together stop almost every attack in this traffic"
assert every["attack success rate"] == stacked[-2]["attack success rate"], \
    "in this traffic confirmation stops nothing the allow-lists missed: every attacker target is off the lists"
assert gap > 5 * every["attack success rate"] and gap > 0.05, "an attack aimed at the gap still gets through"
assert every["false refusal rate"] > inputs_only["false refusal rate"] > 0, "the usability costs add up"
assert every["confirmations per benign request"] > 0.3, "confirmation interrupts many benign requests"
if (FOLLOW, FOLLOW_MARKED, THRESHOLD, SEED) == (0.5, 0.2, 3.0, 0):   # the figures the page quotes
    assert [r["attack success rate"] for r in alone] == [0.1067, 0.1, 0.3067, 0.33, 0.2367, 0.3867, 0.3267], \
        "the page quotes each layer alone: 0.107, 0.100, 0.3067, 0.33, 0.2367, 0.3867, 0.3267"
    assert (every["attack success rate"], every["false refusal rate"], inputs_only["false refusal rate"]) == \
        (0.0033, 0.065, 0.0333), "the page quotes 1 of 300, 0.065 false refusals against 0.0333"
    assert round(every["confirmations per benign request"], 2) == 0.40, "the page quotes confirmations on 40 %"
    assert (gap, len(valid), reached) == (0.195, 32, 0), "the page quotes the red team at 0.195; 32 valid targets, 0"
