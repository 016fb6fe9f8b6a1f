# Monitoring without labels: which counter notices a new injection campaign?
# Fourteen days of traffic through all layers: 400 benign requests and 20 known-style attacks a
# day. From CAMPAIGN_DAY an attacker plants PER_DAY paraphrased injections a day in documents (new
# wording, all five goals). Production has no attack labels; it sees what each layer did.
# STRAY: the stand-in also mis-fires a risky tool call outside the task's scope on 1 request in
# 200 (an assumption), so the least-privilege counter has a noisy background, as it would with a
# real model.
# Each counter runs a one-sided CUSUM against its first week: it adds up each day's excess over
# the weekly mean (minus a slack of half a Poisson standard deviation) and alerts when the sum
# passes H standard deviations. A sustained small rise adds up; one noisy day does not.
import math

from mlsd import show
from mlsd.llm_guard import Defences, SimulatedAssistant, TokenClassifier, known_attacks, make_requests, run_pipeline

DAYS, CAMPAIGN_DAY, PER_DAY = 14, 8, 60
H = 5.0
STRAY = 0.005        # P(a mis-fired out-of-scope tool call) per request: an assumption
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
    outcomes = run_pipeline(traffic, SimulatedAssistant(stray=STRAY), defences, seed=day)
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
lp_before = sum(counts["least-privilege blocks"][:CAMPAIGN_DAY]) / CAMPAIGN_DAY
lp_after = sum(counts["least-privilege blocks"][CAMPAIGN_DAY:]) / (DAYS - CAMPAIGN_DAY)
print(f"least-privilege blocks: {lp_before:.1f}/day before the campaign (stray calls), {lp_after:.1f}/day during it; "
      f"first alert on day {first}")
# The claims on the page.
assert first is not None, "out-of-scope tool calls raise an alert"
assert all(d >= CAMPAIGN_DAY for ds in alerts.values() for d in ds), "no false alert in quiet days"
assert all(not ds or ds[0] > first for name, ds in alerts.items() if name != "least-privilege blocks"), \
    "the noisier counters alert later, if at all"
assert sum(harmed[CAMPAIGN_DAY:]) > sum(harmed[:CAMPAIGN_DAY]), "the campaign does real harm while it runs"
if (STRAY, PER_DAY, H) == (0.005, 60, 5.0):               # the claims for the settings the page uses
    assert 0 < lp_before < 5, "with stray calls the least-privilege counter is small but not zero before the campaign"
    assert first <= CAMPAIGN_DAY + 3, "out-of-scope tool calls raise an alert within four days"
if (STRAY, PER_DAY, H, SEED) == (0.005, 60, 5.0, 0):      # the figures the page quotes
    means = {name: round(sum(series[:7]) / 7, 1) for name, series in counts.items()}
    assert (means["input filter flags"], means["other output blocks"], means["least-privilege blocks"]) == \
        (36.3, 12.4, 2.4), "the page quotes first-week means of 36.3, 12.4 and 2.4 a day"
    assert (first, round(lp_after, 1), sum(harmed[CAMPAIGN_DAY:])) == (10, 7.5, 11), \
        "the page quotes the alert on day 10, 7.5 blocks a day in the campaign and 11 successes"
