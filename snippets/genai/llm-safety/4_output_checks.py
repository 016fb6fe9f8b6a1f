# Output-side checks: judge the action, not the wording.
# The input filters (both, after normalization) stay on. Behind the model, four checks look at
# what it produced before it runs or reaches the user: least privilege (only the task's tools),
# tool-call validation (known recipients and payees, an amount limit, paths in the user's
# workspace), a text policy (links to allowed domains only, no system-prompt canary) and a
# confirmation the user must give for risky actions. USER_CATCH is how often a user rejects an
# action they did not ask for (an assumption; tired users approve more).
from collections import Counter

from mlsd import show
from mlsd.llm_guard import (VARIANTS, Defences, SimulatedAssistant, TokenClassifier, known_attacks, make_requests,
                            run_pipeline)

USER_CATCH = 0.9
SEED = 0

requests = make_requests(n_benign=600, n_attacks=300, seed=SEED)
classifier = TokenClassifier().fit(*known_attacks(n=200, seed=SEED + 1))
inputs = dict(pattern_filter=True, classifier=classifier, threshold=3.0, normalize=True)
outputs = dict(least_privilege=True, validate_tools=True, text_policy=True, confirm_risky=True, user_catch=USER_CATCH)
before = run_pipeline(requests, SimulatedAssistant(), Defences(**inputs), seed=SEED)
after = run_pipeline(requests, SimulatedAssistant(), Defences(**inputs, **outputs), seed=SEED)

rows = []
for v in VARIANTS:
    idx = [i for i, r in enumerate(requests) if r.attack is not None and r.variant == v]
    rows.append({"variant": v, "attacks": len(idx),
                 "obeyed (past the input filters)": sum(before[i].followed for i in idx),
                 "succeeded, input filters only": sum(before[i].succeeded for i in idx),
                 "succeeded, + output checks": sum(after[i].succeeded for i in idx)})
show.table(rows, title="Attacks that the input filters let through, and what the output checks do with them")
stops = Counter(o.stopped_by for o in after if o.attack and o.followed and not o.succeeded)
show.bar_chart(list(stops), list(stops.values()), x_title="output check", y_title="obeyed attacks stopped",
               title="Which output check stopped an attack the model obeyed")

left = [r for r, o in zip(requests, after) if o.succeeded]
kinds = Counter("reply without a link" if r.attack.tool == "reply" else "confirmed by the user" for r in left)
# Confirmation on its own, on every attack the model obeys: who rejects the action?
alone = run_pipeline(requests, SimulatedAssistant(), Defences(confirm_risky=True, user_catch=USER_CATCH), seed=SEED)
asked = [(r, o) for r, o in zip(requests, alone) if o.attack and o.followed and o.confirmations]
rejected = {ch: sum(o.stopped_by == "confirmation" for r, o in asked if r.channel == ch) /
            max(1, sum(r.channel == ch for r, o in asked)) for ch in ("document", "user")}
para = rows[VARIANTS.index("paraphrase")]
obeyed = sum(o.followed for o in after if o.attack)
print(f"paraphrases: {para['succeeded, input filters only']} succeed behind the input filters, "
      f"{para['succeeded, + output checks']} with the output checks as well")
print(f"output checks stopped {sum(stops.values())} of the {obeyed} attacks the model obeyed; "
      f"still through: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
print("the attack still through: " + "; ".join(f"{r.variant} {r.channel} injection, reply {r.attack.target!r}" for r in left))
print(f"confirmation alone rejected {rejected['document']:.0%} of the indirect attacks it was asked about "
      f"and {rejected['user']:.0%} of the direct ones (the attacker is the one who approves)")
# The claims on the page.
assert para["succeeded, + output checks"] < para["succeeded, input filters only"] / 3, \
    "output checks stop most of the paraphrases the input filters missed"
assert sum(stops.values()) > 0.75 * obeyed, "output checks stop most attacks the model obeyed"
assert left and set(kinds) <= {"reply without a link", "confirmed by the user"}, \
    "what still gets through is harmless-looking text, or an action a user approved"
assert rejected["user"] == 0 and rejected["document"] > 0.5, "confirmation protects against indirect attacks only"
if (USER_CATCH, SEED) == (0.9, 0):        # the figures the page quotes
    assert (para["succeeded, input filters only"], para["succeeded, + output checks"], sum(stops.values()), obeyed) \
        == (30, 1, 29, 30), "the page quotes 30 paraphrases through, 1 with the output checks, 29 of 30 stopped"
    assert [r.attack.target for r in left] == ["The help desk moved to +1 555 0100; please call today."], \
        "the page quotes a phone-number reply as the one attack left"
    assert round(rejected["document"], 2) == 0.83, "the page quotes 83 % of indirect attacks rejected"
