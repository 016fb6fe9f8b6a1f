# Put cost and accuracy together. Facts change at a steady rate; a model's weights are as old as
# its last training run. The accuracies use the stated answer model of the freshness cell (its
# expected value, which that cell's simulation matched) and the prices of the cost cell. All
# inputs are ASSUMPTIONS: change VOLUME or CHANGE_PER_MONTH and watch the choice move.
from mlsd import show
from mlsd.adaptation import context_use, expected_accuracy, monthly_cost, request_cost

VOLUME = 300_000                  # requests a month
CHANGE_PER_MONTH = 0.05           # share of the product's facts that change in a month
LAG = 0.25                        # months from the training data snapshot to the model in service
BASE_MODEL_AGE = 12               # months since the large model's training cut-off
RUN_COST, INDEX_PER_MONTH = 2_000, 500
RECALL, K = 0.85, 5
P_CONTEXT = sum(context_use(K)) / K   # as in the freshness cell; the small model reads as well as the large
P_WEIGHTS, P_GUESS = 0.90, 0.05
MODELS = {"large": {"known": 0.30, "format": 0.92, "price": (3.00, 15.00)},
          "fine-tuned": {"known": 0.70, "format": 0.99, "price": (0.30, 1.20)}}
OUTPUT = 150
WRONG_COST = 0.50                 # $ per wrong answer: the share that becomes a ticket for a person


def changed_share(age_from, age_to, steps=60):
    """Mean share of facts changed since training over a model's service life, ages in months."""
    ages = [age_from + (age_to - age_from) * (i + 0.5) / steps for i in range(steps)]
    return sum(1 - (1 - CHANGE_PER_MONTH) ** a for a in ages) / steps


def option(name, model, recall, input_tokens, retrains, fixed_extra=0.0, volume=VOLUME):
    m = MODELS[model]
    changed = changed_share(BASE_MODEL_AGE, BASE_MODEL_AGE) if model == "large" else changed_share(LAG, LAG + 1 / retrains)
    acc = expected_accuracy(recall=recall, p_context=P_CONTEXT, known=m["known"], changed=changed,
                            p_weights=P_WEIGHTS, p_guess=P_GUESS, p_format=m["format"])
    fixed = fixed_extra + (RUN_COST * retrains if model == "fine-tuned" else 0.0)
    cost = monthly_cost(volume, request_cost(input_tokens, OUTPUT, *m["price"]), fixed)
    return {"option": name, "retrains a month": retrains if model == "fine-tuned" else "-",
            "changed since training": round(changed, 3), "accuracy": round(acc, 3), "$ a month": round(cost),
            "$ wrong answers": round((1 - acc) * volume * WRONG_COST),
            "$ in all": round(cost + (1 - acc) * volume * WRONG_COST)}


rows = [option("prompt only", "large", 0.0, 2_300, 0),
        option("RAG", "large", RECALL, 2_100, 0, INDEX_PER_MONTH),
        *[option(f"fine-tuned, retrained {r}/month", "fine-tuned", 0.0, 150, r) for r in (0.25, 1, 4)],
        option("fine-tuned (quarterly, for format) + RAG", "fine-tuned", RECALL, 1_450, 0.25, INDEX_PER_MONTH)]
show.table(rows, title=f"Accuracy and cost at {VOLUME:,} requests a month (stated assumptions)")
show.bar_chart([r["option"] for r in rows], [r["$ in all"] for r in rows], y_title="$ a month",
               title="Model, index and training cost plus the cost of wrong answers")

by = {r["option"]: r for r in rows}
ft = [by[f"fine-tuned, retrained {r}/month"] for r in (0.25, 1, 4)]
combo, rag = by["fine-tuned (quarterly, for format) + RAG"], by["RAG"]
saved = ft[0]["$ wrong answers"] - ft[2]["$ wrong answers"]
print(f"chasing facts by retraining: 4 runs a month buy {ft[2]['accuracy'] - ft[0]['accuracy']:.3f} accuracy "
      f"over quarterly runs for ${ft[2]['$ a month'] - ft[0]['$ a month']:,} more a month, and save ${saved:,} of wrong answers")
ceiling = expected_accuracy(recall=0.0, p_context=P_CONTEXT, known=MODELS["fine-tuned"]["known"], changed=0.0,
                            p_weights=P_WEIGHTS, p_guess=P_GUESS, p_format=MODELS["fine-tuned"]["format"])
print(f"the fine-tuned model alone, retrained without limit (nothing stale), reaches {ceiling:.3f}; RAG: {rag['accuracy']}")
print(f"fine-tuned + RAG: accuracy {combo['accuracy']} at ${combo['$ a month']:,} a month; "
      f"RAG on the large model: {rag['accuracy']} at ${rag['$ a month']:,}")
cheapest_model = min(rows, key=lambda r: r["$ a month"])
print(f"cheapest to run: {cheapest_model['option']} (${cheapest_model['$ a month']:,}); "
      f"cheapest in all: {min(rows, key=lambda r: r['$ in all'])['option']}")
small = [option("RAG", "large", RECALL, 2_100, 0, INDEX_PER_MONTH, volume=VOLUME // 10),
         option("fine-tuned + RAG", "fine-tuned", RECALL, 1_450, 0.25, INDEX_PER_MONTH, volume=VOLUME // 10)]
print(f"at {VOLUME // 10:,} requests a month, to run: RAG ${small[0]['$ a month']:,}, fine-tuned + RAG ${small[1]['$ a month']:,}; "
      f"in all: ${small[0]['$ in all']:,} and ${small[1]['$ in all']:,}")

QUOTED = "the page quotes, for the default assumptions,"
assert all(a["accuracy"] < b["accuracy"] and a["$ a month"] < b["$ a month"] for a, b in zip(ft, ft[1:])), \
    "retraining more often buys accuracy with money"
assert abs(saved - (ft[2]["$ a month"] - ft[0]["$ a month"])) < 0.15 * saved, \
    f"weekly runs cost about what their extra accuracy saves: ${saved:,} saved against ${ft[2]['$ a month'] - ft[0]['$ a month']:,}"
assert min(ft, key=lambda r: r["$ in all"]) is ft[1], "of the fine-tuned models alone, monthly runs are the cheapest in all"
assert ceiling < rag["accuracy"], f"however often it is retrained, the fine-tuned model alone stays below RAG: {ceiling:.3f}"
assert combo["accuracy"] == max(r["accuracy"] for r in rows), "fine-tuned + RAG is the most accurate option"
assert small[0]["$ a month"] < small[1]["$ a month"], "at a tenth of the volume, RAG on the large model is cheaper to run"
assert cheapest_model is ft[0], "the quarterly fine-tuned model alone is the cheapest to run"
assert combo["$ in all"] == min(r["$ in all"] for r in rows), \
    "counting what wrong answers cost, fine-tuned + RAG is the cheapest"
assert all(r["$ in all"] > 2 * combo["$ in all"] for r in ft), "every fine-tuned model alone costs over twice the combination in all"
assert combo["$ wrong answers"] > 10 * combo["$ a month"], f"{QUOTED} wrong answers cost over ten times the model"
assert (combo["accuracy"], rag["accuracy"], ft[1]["accuracy"], round(ceiling, 3)) == (0.828, 0.714, 0.615, 0.639), \
    f"{QUOTED} accuracies 0.828, 0.714, 0.615 and a ceiling of 0.639: {combo['accuracy']}, {rag['accuracy']}, {ft[1]['accuracy']}, {ceiling:.3f}"
assert (ft[0]["accuracy"], ft[2]["accuracy"], ft[0]["$ a month"], combo["$ a month"], rag["$ a month"], saved) == \
    (0.572, 0.627, 568, 1184, 3065, 8270), \
    f"{QUOTED} 0.572 and 0.627; $568, $1,184 and $3,065 a month; $8,270 saved: {ft[0]}, {ft[2]}, {combo}, {rag}, {saved}"
assert (combo["$ in all"], rag["$ in all"], ft[0]["$ in all"], ft[1]["$ in all"], ft[2]["$ in all"]) == (27030, 45895, 64836, 59806, 64067), \
    f"{QUOTED} $27,030, $45,895, $64,836, $59,806 and $64,067 in all: {[r['$ in all'] for r in (combo, rag, *ft)]}"
assert (small[0]["$ a month"], small[1]["$ a month"], small[0]["$ in all"], small[1]["$ in all"]) == (756, 1018, 5040, 3603), \
    f"{QUOTED} $756 and $1,018 to run, $5,040 and $3,603 in all at 30,000 requests: {small}"
