# The threat model, measured on an undefended assistant with tools.
# 600 benign requests and 300 attacks. An attack is direct (typed by the user) or indirect
# (planted in one retrieved document the user never looked at). No language model runs here:
# the stand-in assistant obeys an injected instruction it sees with probability FOLLOW (the
# simulated weakness) and otherwise does what the user asked. Its tools execute what it outputs.
import math
from collections import Counter

from mlsd import show
from mlsd.llm_guard import Defences, SimulatedAssistant, make_requests, run_pipeline, summarize

FOLLOW = 0.5          # P(the stand-in obeys an injected instruction in its context): an assumption
SEED = 0

requests = make_requests(n_benign=600, n_attacks=300, indirect_share=0.7, seed=SEED)
assistant = SimulatedAssistant(follow=FOLLOW)
outcomes = run_pipeline(requests, assistant, Defences(), seed=SEED)    # no defence at all

examples = {}
for r in requests:
    if r.attack is not None and (r.channel, r.variant) not in examples:
        text = r.user if r.channel == "user" else r.documents[r.poisoned]
        examples[r.channel, r.variant] = text
for variant in ("plain", "case", "spacing", "encoding", "paraphrase"):
    print(f"indirect, {variant:10s}: {examples['document', variant][:120]}")
print(f"direct,   plain     : {examples['user', 'plain'][:120]}")

rows = summarize(outcomes, by="channel")
show.table([{"channel": {"user": "direct (user's message)", "document": "indirect (retrieved document)",
                         "none": "benign traffic"}[row["group"]], "requests": row["attacks"] + row["benign"],
             "attack success rate": row["attack success rate"]} for row in rows],
           title="No defences: what gets through")
done = Counter(r.attack.tool if r.attack.tool != "reply" else "harmful reply"
               for r, o in zip(requests, outcomes) if o.succeeded)
show.bar_chart(list(done), list(done.values()), x_title="what the attacker got done", y_title="attacks",
               title="Tools turn an obeyed instruction into an action")

asr = {row["group"]: row["attack success rate"] for row in rows}
n = {row["group"]: row["attacks"] for row in rows}
overall = summarize(outcomes)[0]["attack success rate"]
se = math.sqrt(FOLLOW * (1 - FOLLOW) / 300)
gap_se = math.sqrt(FOLLOW * (1 - FOLLOW) * (1 / n["user"] + 1 / n["document"]))
print(f"attack success rate {overall:.3f} (the stand-in obeys with probability {FOLLOW}; one standard error {se:.3f})")
print(f"direct {asr['user']:.3f} on {n['user']} attacks, indirect {asr['document']:.3f} on {n['document']}: "
      f"difference {asr['document'] - asr['user']:+.3f}, standard error of the difference {gap_se:.3f}")
print("actions done for the attacker: " + ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
# The claims on the page.
assert abs(overall - FOLLOW) < 3 * se, "with no defence, the success rate is the model's obedience"
victims = sum(o.succeeded and r.channel == "document" for r, o in zip(requests, outcomes))
print(f"{victims} successful attacks hit a user who typed nothing malicious (indirect channel)")
assert victims > n["user"] * asr["user"], "more harm arrives through documents than through the chat box"
assert n["document"] > n["user"], "most attacks arrive through retrieved text in this traffic"
assert {"send_email", "pay", "delete_file", "harmful reply"} <= set(done), "every tool was misused"
assert abs(asr["document"] - asr["user"]) < 2 * gap_se, "direct and indirect succeed alike (within noise)"
if (FOLLOW, SEED) == (0.5, 0):           # the figures the page quotes, for the settings it uses
    assert (overall, round(se, 3), victims) == (0.51, 0.029, 104), "the page quotes 0.510, one SE 0.029, 104 victims"
    assert (n["user"], n["document"]) == (96, 204), "the page quotes 96 direct and 204 indirect attacks"
    assert dict(done) == {"pay": 40, "delete_file": 32, "send_email": 26, "harmful reply": 55}, \
        "the page quotes 40 payments, 32 deletions, 26 emails and 55 harmful replies"
