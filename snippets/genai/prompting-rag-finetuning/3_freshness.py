# A SIMULATION, not a language model. Each question needs one fact; the stand-in answers right
# with a stated probability that depends on where the fact is (mlsd.adaptation.simulate_answers):
# in its context (retrieved), in its weights and unchanged since training, in its weights but
# changed since (it answers the old value: wrong), or absent (a guess). An answer counts only if
# it also has the requested JSON format. Every probability below is an ASSUMPTION.
import math

from mlsd import show
from mlsd.adaptation import context_use, expected_accuracy, simulate_answers

QUESTIONS = 1_500                 # questions per point (one fact each)
RECALL = 0.85                     # recall@5 of the retriever: the fact is in the 5 passages
K = 5
P_CONTEXT = context_use(K)        # the next section's model at k = 5: 0.93 at the edges, 0.83 at the centre
SMALL_READS = 1.0                 # the small model's use of a retrieved passage, relative to the large model's
P_WEIGHTS, P_GUESS = 0.90, 0.05   # a fact held in the weights; a guess when it is absent
KNOWN = {"large model": 0.30,     # the product's public docs were in its pre-training data
         "fine-tuned": 0.70}      # fine-tuning on the docs stores some facts, not all
FORMAT = {"large model": 0.92,    # follows the JSON format from few-shot examples
          "fine-tuned": 0.99}     # learned the format in training
READS = {"large model": 1.0, "fine-tuned": SMALL_READS}
OPTIONS = {"prompt only": ("large model", 0.0), "RAG": ("large model", RECALL),
           "fine-tuned": ("fine-tuned", 0.0), "fine-tuned + RAG": ("fine-tuned", RECALL)}
CHANGED = [round(0.05 * i, 2) for i in range(11)]   # share of facts changed since the weights were trained
SEED = 0


def stand_in(model, recall, changed):
    return dict(recall=recall, known=KNOWN[model], changed=changed, p_weights=P_WEIGHTS,
                p_guess=P_GUESS, p_format=FORMAT[model])


curves, expected, worst_z = {name: [] for name in OPTIONS}, {name: [] for name in OPTIONS}, 0.0
for j, changed in enumerate(CHANGED):
    for i, (name, (model, recall)) in enumerate(OPTIONS.items()):
        kw, p_context = stand_in(model, recall, changed), [READS[model] * p for p in P_CONTEXT]
        sim = simulate_answers(QUESTIONS, p_context=p_context, seed=SEED * 1000 + 10 * j + i, **kw)
        exact = expected_accuracy(p_context=sum(p_context) / K, **kw)
        worst_z = max(worst_z, abs(sim["accuracy"] - exact) / math.sqrt(exact * (1 - exact) / QUESTIONS))
        curves[name].append(sim["accuracy"])
        expected[name].append(exact)
show.line_chart(CHANGED, {n: [round(a, 3) for a in c] for n, c in curves.items()},
                x_title="share of facts changed since training", y_title="right, well-formatted answers",
                title="Simulated accuracy as the world moves away from the weights")
show.table([{"option": n, "nothing changed": round(e[0], 3), "25 % changed": round(e[5], 3),
             "50 % changed": round(e[-1], 3), "drop": round(e[0] - e[-1], 3),
             "simulated, nothing changed": round(curves[n][0], 3)} for n, e in expected.items()],
           title="Expected accuracy of the stated stand-in; the chart is its simulation, 1,500 questions a point")
se = math.sqrt(0.25 / QUESTIONS)
print(f"simulation within {worst_z:.1f} standard errors of the expected accuracy at every point")
print(f"one point's standard error is at most {se:.3f}")

# What a point of recall@5 is worth: d accuracy / d recall = p_format * (p_context - fallback).
mean_context = sum(P_CONTEXT) / K
worth = {m: FORMAT[m] * (READS[m] * mean_context - (KNOWN[m] * P_WEIGHTS + (1 - KNOWN[m]) * P_GUESS)) for m in KNOWN}
print(f"with nothing changed, a point of recall@5 is worth {worth['large model']:.2f} points of accuracy "
      f"on the large model and {worth['fine-tuned']:.2f} on the fine-tuned one")
# The combination's lead rests on the small model reading passages as well as the large one:
# the smallest SMALL_READS at which fine-tuned + RAG still matches RAG, at each share changed.
need = []
for j, changed in enumerate(CHANGED):
    kw = stand_in("fine-tuned", RECALL, changed)
    fallback = kw["known"] * (1 - changed) * P_WEIGHTS + (1 - kw["known"]) * P_GUESS
    need.append((expected["RAG"][j] / kw["p_format"] - (1 - RECALL) * fallback) / (RECALL * mean_context))
print(f"fine-tuned + RAG beats RAG while the small model uses a passage at least {need[0]:.2f} as well as the "
      f"large one (nothing changed), {max(need):.2f} (50 % changed)")

drop = {n: e[0] - e[-1] for n, e in expected.items()}
both, rag, ft = curves["fine-tuned + RAG"], curves["RAG"], curves["fine-tuned"]
assert worst_z < 4, f"the simulation agrees with expected_accuracy within 4 standard errors: {worst_z:.1f}"
assert drop["RAG"] < 0.05 and drop["fine-tuned + RAG"] < 0.05, \
    f"with retrieval, accuracy falls by less than 0.05 as half the facts change: {drop}"
assert drop["fine-tuned"] > 0.25, f"the fine-tuned model alone loses more than 0.25 by 50 % changed: {drop['fine-tuned']:.3f}"
assert all(b > max(o[i] for n, o in curves.items() if n != "fine-tuned + RAG") + 2 * se for i, b in enumerate(both)), \
    "fine-tuned + RAG is the most accurate in the simulation at every share, by more than two standard errors"
assert ft[0] < rag[0] and expected["fine-tuned"][0] < expected["RAG"][0], \
    "even with nothing changed, retrieval beats fine-tuning for knowledge"
assert all(p < min(rag) for p in curves["prompt only"]), "prompt only, with no product knowledge, is the worst"
assert worth["fine-tuned"] < worth["large model"] / 2, "the fine-tuned weights halve what a missed retrieval costs"
QUOTED = "the page quotes, for the default assumptions,"
assert [round(e[0], 2) for e in expected.values()] == [0.28, 0.73, 0.64, 0.84], \
    f"{QUOTED} expected accuracies 0.28, 0.73, 0.64 and 0.84 with nothing changed: {[round(e[0], 3) for e in expected.values()]}"
assert (round(expected["fine-tuned"][-1], 2), round(expected["fine-tuned + RAG"][-1], 2)) == (0.33, 0.79), \
    f"{QUOTED} 0.33 and 0.79 at 50 % changed: {expected['fine-tuned'][-1]:.3f}, {expected['fine-tuned + RAG'][-1]:.3f}"
assert [round(d, 3) for d in drop.values()] == [0.124, 0.019, 0.312, 0.047], f"{QUOTED} drops 0.019, 0.312 and 0.047: {drop}"
assert (round(worth["large model"], 2), round(worth["fine-tuned"], 2)) == (0.53, 0.23), \
    f"{QUOTED} a point of recall worth 0.53 and 0.23 points of accuracy: {worth}"
assert (round(need[0], 2), round(max(need), 2)) == (0.86, 0.89), \
    f"{QUOTED} the combination needs the small model to read at least 0.86 (0.89) as well: {need[0]:.3f}, {max(need):.3f}"
