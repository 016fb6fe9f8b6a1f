# Put cost and accuracy together. Facts change at a steady rate; a model's weights are as old as
# its last training run. The accuracies use the stated answer model of the freshness cell (its
# expected value, which that cell's simulation matched) and the prices of the cost cell. All
# inputs are ASSUMPTIONS: change VOLUME or CHANGE_PER_MONTH and watch the choice move.
from mlsd import show
from mlsd.adaptation import expected_accuracy, monthly_cost, position_accuracy, request_cost

VOLUME = 300_000                  # requests a month
CHANGE_PER_MONTH = 0.05           # share of the product's facts that change in a month
LAG = 0.25                        # months from the training data snapshot to the model in service
BASE_MODEL_AGE = 12               # months since the large model's training cut-off
RUN_COST, INDEX_PER_MONTH = 2_000, 500
RECALL, K = 0.85, 5
P_CONTEXT = sum(position_accuracy(i, K) for i in range(K)) / K
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
print(f"chasing facts by retraining: 4 runs a month buy {ft[2]['accuracy'] - ft[0]['accuracy']:.3f} accuracy "
      f"over quarterly runs for ${ft[2]['$ a month'] - ft[0]['$ a month']:,} more a month")
print(f"fine-tuned + RAG: accuracy {combo['accuracy']} at ${combo['$ a month']:,} a month; "
      f"RAG on the large model: {rag['accuracy']} at ${rag['$ a month']:,}")

QUOTED = "the page quotes, for the default assumptions,"
assert all(a["accuracy"] < b["accuracy"] and a["$ a month"] < b["$ a month"] for a, b in zip(ft, ft[1:])), \
    "retraining more often buys accuracy with money"
assert combo["accuracy"] == max(r["accuracy"] for r in rows), "fine-tuned + RAG is the most accurate option"
cheapest_model = min(rows, key=lambda r: r["$ a month"])
print(f"cheapest to run: {cheapest_model['option']} (${cheapest_model['$ a month']:,}); "
      f"cheapest in all: {min(rows, key=lambda r: r['$ in all'])['option']}")
small = [option("RAG", "large", RECALL, 2_100, 0, INDEX_PER_MONTH, volume=VOLUME // 10),
         option("fine-tuned + RAG", "fine-tuned", RECALL, 1_450, 0.25, INDEX_PER_MONTH, volume=VOLUME // 10)]
print(f"at {VOLUME // 10:,} requests a month, to run: RAG ${small[0]['$ a month']:,}, fine-tuned + RAG ${small[1]['$ a month']:,}")
assert small[0]["$ a month"] < small[1]["$ a month"], "at a tenth of the volume, RAG on the large model is cheaper to run"
assert cheapest_model is ft[0], "the quarterly fine-tuned model alone is the cheapest to run"
assert combo["$ in all"] == min(r["$ in all"] for r in rows), \
    "counting what wrong answers cost, fine-tuned + RAG is the cheapest"
assert combo["$ wrong answers"] > 10 * combo["$ a month"], f"{QUOTED} wrong answers cost over ten times the model"
assert ft[2]["accuracy"] < rag["accuracy"], "even retrained weekly, the fine-tuned model alone is less accurate than RAG"
assert (combo["accuracy"], rag["accuracy"], ft[1]["accuracy"]) == (0.804, 0.692, 0.615), \
    f"{QUOTED} accuracies 0.804, 0.692 and 0.615: {combo['accuracy']}, {rag['accuracy']}, {ft[1]['accuracy']}"
assert (ft[0]["accuracy"], ft[2]["accuracy"], ft[0]["$ a month"], combo["$ a month"], rag["$ a month"]) == (0.572, 0.627, 568, 1184, 3065), \
    f"{QUOTED} 0.572 and 0.627; $568, $1,184 and $3,065 a month: {ft[0]}, {ft[2]}, {combo}, {rag}"
assert (combo["$ in all"], rag["$ in all"], ft[1]["$ in all"]) == (30600, 49213, 59806), \
    f"{QUOTED} $30,600, $49,213 and $59,806 in all: {combo['$ in all']}, {rag['$ in all']}, {ft[1]['$ in all']}"
