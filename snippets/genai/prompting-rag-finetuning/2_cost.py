# Monthly cost of each option and the break-even volume. Prices and fixed costs are ASSUMPTIONS,
# not a quote: put in your provider's price list and your own team's costs.
from mlsd import show
from mlsd.adaptation import break_even_volume, monthly_cost, request_cost

LARGE = (3.00, 15.00)      # $ per million input / output tokens, a large hosted model
SMALL = (0.30, 1.20)       # $ per million input / output tokens, a small fine-tuned model, hosted
INPUT = {"prompt only": 2_300, "RAG": 2_100, "fine-tuned": 150, "fine-tuned + RAG": 1_450}  # previous cell
OUTPUT = 150
INDEX_PER_MONTH = 500      # vector store, embedding updates, the ingestion job's upkeep
RUN_COST = 2_000           # one fine-tuning run: curating data, training, evaluating, rolling out
RETRAINS_PER_MONTH = 1     # how often the fine-tuned model is retrained (try 0.25 or 4)
HOSTING_PER_MONTH = 0      # 0: the small model is billed per token. Serving it on your own GPUs
                           # makes hosting a fixed cost: put the month's GPU bill here
VOLUME = 300_000           # requests a month (10,000 a day)

price = {"prompt only": LARGE, "RAG": LARGE, "fine-tuned": SMALL, "fine-tuned + RAG": SMALL}
fixed = {"prompt only": 0.0, "RAG": INDEX_PER_MONTH, "fine-tuned": RUN_COST * RETRAINS_PER_MONTH + HOSTING_PER_MONTH,
         "fine-tuned + RAG": INDEX_PER_MONTH + RUN_COST * RETRAINS_PER_MONTH + HOSTING_PER_MONTH}
per_request = {name: request_cost(INPUT[name], OUTPUT, *price[name]) for name in INPUT}
show.table([{"option": name, "$ per 1,000 requests": round(1000 * per_request[name], 3), "$ fixed a month": fixed[name],
             f"$ a month at {VOLUME:,}": round(monthly_cost(VOLUME, per_request[name], fixed[name]))}
            for name in INPUT], title="Cost by option (assumed prices)")

volumes = list(range(0, 1_000_001, 50_000))
show.line_chart([v / 1000 for v in volumes],
                {name: [round(monthly_cost(v, per_request[name], fixed[name])) for v in volumes] for name in INPUT},
                x_title="requests a month (thousands)", y_title="$ a month",
                title="Fixed costs against cost per request: the lines cross at the break-even volume")

ft_vs_prompt = break_even_volume(fixed["prompt only"], per_request["prompt only"], fixed["fine-tuned"], per_request["fine-tuned"])
both_vs_rag = break_even_volume(fixed["RAG"], per_request["RAG"], fixed["fine-tuned + RAG"], per_request["fine-tuned + RAG"])
print(f"fine-tuned small model beats the few-shot large model above {ft_vs_prompt:,.0f} requests a month")
print(f"fine-tuned + RAG beats RAG on the large model above {both_vs_rag:,.0f} requests a month")
slope_ratio = per_request["prompt only"] / per_request["fine-tuned"]
print(f"the fine-tuned model's cost per request is {slope_ratio:.1f}x smaller")
cheapest = min(INPUT, key=lambda n: monthly_cost(VOLUME, per_request[n], fixed[n]))
print(f"cheapest at {VOLUME:,} requests a month: {cheapest}")

# The trade-off: retraining more often (to chase changing facts) moves the break-even up.
rows = []
for retrains in (0.25, 1, 4, 8):
    n = break_even_volume(0.0, per_request["prompt only"], RUN_COST * retrains + HOSTING_PER_MONTH, per_request["fine-tuned"])
    rows.append({"retrains a month": retrains, "fixed $ a month": RUN_COST * retrains + HOSTING_PER_MONTH,
                 "break-even requests a month": round(n), "per day": round(n / 30)})
show.table(rows, title="Fine-tuned small model vs few-shot large model: break-even by retraining rate")

# Identity checks of the formula (they hold for any inputs): equal cost at the break-even, and the
# option with the flatter slope cheaper above it.
at = monthly_cost(ft_vs_prompt, per_request["prompt only"]), monthly_cost(ft_vs_prompt, per_request["fine-tuned"], fixed["fine-tuned"])
assert abs(at[0] - at[1]) < 1e-6, f"the options cost the same at the break-even: {at}"
assert monthly_cost(1.1 * ft_vs_prompt, per_request["fine-tuned"], fixed["fine-tuned"]) < monthly_cost(1.1 * ft_vs_prompt, per_request["prompt only"]), \
    "above the break-even the fine-tuned model is cheaper"
assert all(a["break-even requests a month"] < b["break-even requests a month"] for a, b in zip(rows, rows[1:])), \
    "more retraining raises the break-even volume"
QUOTED = "the page quotes, for the default assumptions,"
assert round(per_request["prompt only"], 5) == 0.00915 and round(per_request["fine-tuned"], 6) == 0.000225, \
    f"{QUOTED} $0.00915 and $0.000225 a request: {per_request}"
assert round(ft_vs_prompt, -3) == 224_000 and round(both_vs_rag, -3) == 252_000, \
    f"{QUOTED} break-evens of about 224,000 and 252,000: {ft_vs_prompt:,.0f}, {both_vs_rag:,.0f}"
assert round(slope_ratio) == 41 and round(ft_vs_prompt / 30) == 7470, \
    f"{QUOTED} a slope about 40 times flatter, 7,470 a day: {slope_ratio:.1f}, {ft_vs_prompt / 30:,.0f}"
assert cheapest == "fine-tuned", f"{QUOTED} the fine-tuned model is cheapest at 300,000: {cheapest}"
assert [r["break-even requests a month"] // 1000 for r in rows] == [56, 224, 896, 1792], \
    f"{QUOTED} break-evens of 56k, 224k, 896k and 1.79M: {[r['break-even requests a month'] for r in rows]}"
