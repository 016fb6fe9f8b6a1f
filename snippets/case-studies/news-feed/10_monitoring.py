# Monitoring one input: the topic mix of the posts the feed shows, day by day,
# against the training window (PSI). On day 12 a breaking story floods one topic.
from mlsd import monitoring, show
from casestudies import news_feed as nf

reference = nf.topic_mix(nf.TRAIN_START, nf.TRAIN_END)
days = list(range(8, nf.WORLD["days"]))
psis = [monitoring.psi_categorical(reference, nf.topic_mix(d, d + 1)) for d in days]
share = [sum(t == nf.SURGE_TOPIC for t in nf.topic_mix(d, d + 1)) / len(nf.topic_mix(d, d + 1))
         for d in days]
show.line_chart(days, {"PSI of the topic mix": [round(p, 3) for p in psis],
                       "warning (0.1)": [0.1] * len(days), "alarm (0.25)": [0.25] * len(days)},
                x_title="day", y_title="PSI", title="Topic mix of the feed against the training days")
show.table([{"day": d, "PSI": round(p, 3), f"share of topic {nf.SURGE_TOPIC}": f"{s:.1%}"}
            for d, p, s in zip(days, psis, share)], title="Daily PSI")

before = [p for d, p in zip(days, psis) if d < nf.SURGE_DAY]
first, second = (p for d, p in zip(days, psis) if d >= nf.SURGE_DAY)
print(f"before the story: PSI at most {max(before):.3f}; day {nf.SURGE_DAY:g}: {first:.3f}; "
      f"day {nf.SURGE_DAY + 1:g}: {second:.3f}")
assert max(before) < 0.1                      # normal days stay quiet
assert 0.1 < first < 0.25                     # the first day: a warning (0.1 to 0.25)
assert second > 0.25                          # the second: past the usual alarm level
