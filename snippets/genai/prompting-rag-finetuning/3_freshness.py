# A SIMULATION, not a language model. Each question needs one fact; the stand-in answers right
# with a stated probability that depends on where the fact is (mlsd.adaptation.simulate_answers):
# in its context (retrieved), in its weights and unchanged since training, in its weights but
# changed since (it answers the old value: wrong), or absent (a guess). An answer counts only if
# it also has the requested JSON format. Every probability below is an ASSUMPTION.
import math

from mlsd import show
from mlsd.adaptation import expected_accuracy, position_accuracy, simulate_answers

QUESTIONS = 1_500                 # questions per point (one fact each)
RECALL = 0.85                     # recall@5 of the retriever: the fact is in the 5 passages
K = 5
P_CONTEXT = [position_accuracy(i, K) for i in range(K)]   # 0.95 at the edges, lower in the middle
P_WEIGHTS, P_GUESS = 0.90, 0.05   # a fact held in the weights; a guess when it is absent
KNOWN = {"large model": 0.30,     # the product's public docs were in its pre-training data
         "fine-tuned": 0.70}      # fine-tuning on the docs stores some facts, not all
FORMAT = {"large model": 0.92,    # follows the JSON format from few-shot examples
          "fine-tuned": 0.99}     # learned the format in training
OPTIONS = {"prompt only": ("large model", 0.0), "RAG": ("large model", RECALL),
           "fine-tuned": ("fine-tuned", 0.0), "fine-tuned + RAG": ("fine-tuned", RECALL)}
CHANGED = [round(0.05 * i, 2) for i in range(11)]   # share of facts changed since the weights were trained
SEED = 0

curves, expected, worst_z = {name: [] for name in OPTIONS}, {name: [] for name in OPTIONS}, 0.0
for j, changed in enumerate(CHANGED):
    for i, (name, (model, recall)) in enumerate(OPTIONS.items()):
        kw = dict(recall=recall, known=KNOWN[model], changed=changed, p_weights=P_WEIGHTS,
                  p_guess=P_GUESS, p_format=FORMAT[model])
        sim = simulate_answers(QUESTIONS, p_context=P_CONTEXT, seed=SEED * 1000 + 10 * j + i, **kw)
        exact = expected_accuracy(p_context=sum(P_CONTEXT) / K, **kw)
        worst_z = max(worst_z, abs(sim["accuracy"] - exact) / math.sqrt(exact * (1 - exact) / QUESTIONS))
        curves[name].append(sim["accuracy"])
        expected[name].append(exact)
show.line_chart(CHANGED, {n: [round(a, 3) for a in c] for n, c in curves.items()},
                x_title="share of facts changed since training", y_title="right, well-formatted answers",
                title="Simulated accuracy as the world moves away from the weights")
show.table([{"option": n, "accuracy, nothing changed": round(c[0], 3), "accuracy, 25 % changed": round(c[5], 3),
             "accuracy, 50 % changed": round(c[-1], 3),
             "expected drop": round(expected[n][0] - expected[n][-1], 3)} for n, c in curves.items()],
           title="Simulated accuracy (1,500 questions a point); the drop is the stated model's expectation")
se = math.sqrt(0.25 / QUESTIONS)
print(f"simulation within {worst_z:.1f} standard errors of the expected accuracy at every point")
print(f"one point's standard error is at most {se:.3f}")

drop = {n: c[0] - c[-1] for n, c in expected.items()}
both, rag, ft = curves["fine-tuned + RAG"], curves["RAG"], curves["fine-tuned"]
assert worst_z < 4, f"the simulation agrees with expected_accuracy within 4 standard errors: {worst_z:.1f}"
assert drop["RAG"] < 0.05 and drop["fine-tuned + RAG"] < 0.05, \
    f"with retrieval, accuracy falls by less than 0.05 as half the facts change: {drop}"
assert drop["fine-tuned"] > 0.25, f"the fine-tuned model alone loses more than 0.25 by 50 % changed: {drop['fine-tuned']:.3f}"
assert all(b > max(o[i] for n, o in curves.items() if n != "fine-tuned + RAG") + 2 * se for i, b in enumerate(both)), \
    "fine-tuned + RAG is the most accurate at every share, by more than two standard errors"
assert ft[0] < rag[0], "even with nothing changed, retrieval beats fine-tuning for knowledge"
assert all(p < min(rag) for p in curves["prompt only"]), "prompt only, with no product knowledge, is the worst"
QUOTED = "the page quotes, for the default assumptions and SEED,"
assert [round(c[0], 2) for c in curves.values()] == [0.28, 0.72, 0.63, 0.8], \
    f"{QUOTED} 0.28, 0.72, 0.63 and 0.80 with nothing changed: {[round(c[0], 3) for c in curves.values()]}"
assert round(ft[-1], 2) == 0.33 and round(both[-1], 2) == 0.78, f"{QUOTED} 0.33 and 0.78 at 50 % changed: {ft[-1]:.3f}, {both[-1]:.3f}"
assert [round(d, 3) for d in drop.values()] == [0.124, 0.019, 0.312, 0.047], f"{QUOTED} expected drops 0.019, 0.312 and 0.047: {drop}"
