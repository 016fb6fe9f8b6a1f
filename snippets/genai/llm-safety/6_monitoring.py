# Monitoring without labels: which counter notices a new injection campaign?
# Fourteen days of traffic through all layers: 400 benign requests and 20 known-style attacks a
# day. From CAMPAIGN_DAY an attacker plants 40 paraphrased injections a day in documents (new
# wording, all five goals). Production has no attack labels; it sees what each layer did.
# Each counter runs a one-sided CUSUM against its first week: it adds up each day's excess over
# the weekly mean (minus a slack of half a Poisson standard deviation) and alerts when the sum
# passes H standard deviations. A sustained small rise adds up; one noisy day does not.
import math

from mlsd import show
from mlsd.llm_guard import Defences, SimulatedAssistant, TokenClassifier, known_attacks, make_requests, run_pipeline

DAYS, CAMPAIGN_DAY, PER_DAY = 14, 8, 60
H = 5.0
SEED = 0

classifier = TokenClassifier().fit(*known_attacks(n=200, seed=SEED + 1))
defences = Defences(pattern_filter=True, classifier=classifier, threshold=3.0, normalize=True, mark_untrusted=True,
                    least_privilege=True, validate_tools=True, text_policy=True, confirm_risky=True)
SIGNALS = {"input filter flags": {"pattern filter", "classifier"},
           "least-privilege blocks": {"least privilege"},
           "other output blocks": {"tool validation", "text policy"},
           "confirmations rejected": {"confirmation"}}
counts = {name: [] for name in SIGNALS}
harmed = []
for day in range(DAYS):
    traffic = make_requests(n_benign=400, n_attacks=20, variants=["plain", "case", "spacing", "encoding"],
                            seed=SEED * 100 + day)
    if day >= CAMPAIGN_DAY:
        traffic += make_requests(n_benign=0, n_attacks=PER_DAY, indirect_share=1.0, variants=["paraphrase"],
                                 seed=SEED * 100 + 50 + day)
    outcomes = run_pipeline(traffic, SimulatedAssistant(), defences, seed=day)
    for name, layers in SIGNALS.items():
        counts[name].append(sum(o.stopped_by in layers for o in outcomes))
    harmed.append(sum(o.succeeded for o in outcomes))

alerts = {}
for name, series in counts.items():
    base = sum(series[:7]) / 7
    sd = math.sqrt(max(base, 1.0))                     # Poisson: the variance of a count is its mean
    cusum, alerts[name] = 0.0, []
    for d, c in enumerate(series):
        cusum = max(0.0, cusum + c - base - 0.5 * sd)
        if cusum > H * sd:
            alerts[name].append(d)
    print(f"{name}: first-week mean {base:.1f}/day; CUSUM alert on days {alerts[name] or 'none'}")
show.line_chart(list(range(DAYS)), {**counts, "attacks that succeeded (unseen in production)": harmed},
                x_title="day", y_title="requests per day",
                title=f"A paraphrase campaign from day {CAMPAIGN_DAY}: out-of-scope tool calls give it away")
print(f"attacks that succeeded: {sum(harmed[:CAMPAIGN_DAY])} before day {CAMPAIGN_DAY}, "
      f"{sum(harmed[CAMPAIGN_DAY:])} after (production would not see this line)")
first = alerts["least-privilege blocks"][0] if alerts["least-privilege blocks"] else None
print(f"least privilege blocks before the campaign: {sum(counts['least-privilege blocks'][:CAMPAIGN_DAY])}; "
      f"first alert on day {first}")
# The claims on the page.
assert sum(counts["least-privilege blocks"][:CAMPAIGN_DAY]) == 0, "benign traffic never calls a tool outside its scope"
assert first is not None and first <= CAMPAIGN_DAY + 1, "out-of-scope tool calls raise an alert within two days"
assert all(d >= CAMPAIGN_DAY for ds in alerts.values() for d in ds), "no false alert in quiet days"
assert all(not ds or ds[0] > first for name, ds in alerts.items() if name != "least-privilege blocks"), \
    "the noisier counters alert later, if at all"
assert sum(harmed[CAMPAIGN_DAY:]) > sum(harmed[:CAMPAIGN_DAY]), "the campaign does real harm while it runs"
