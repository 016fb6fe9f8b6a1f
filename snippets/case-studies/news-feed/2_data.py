# The logged world: who saw which post, at which position, and what they did.
# Features are daily snapshots of counters over earlier days; the rankers learn
# on days 2-10, are tested on days 10-12 and go live on day 12.
from mlsd import show
from casestudies import news_feed as nf

data = nf.world()
print(f"{len(data.users):,} users (each follows {nf.WORLD['follows']} authors), {len(data.authors)} "
      f"authors, {nf.WORLD['n_topics']} topics, {len(data.posts):,} posts, "
      f"{len(data.impressions):,} logged impressions over {nf.WORLD['days']} days")
print(f"windows: train [{nf.TRAIN_START:g}, {nf.TRAIN_END:g}), test [{nf.TRAIN_END:g}, "
      f"{nf.TEST_END:g}), live from day {nf.NOW:g}")

train, test = nf.rates(nf.TRAIN_START, nf.TRAIN_END), nf.rates(nf.TRAIN_END, nf.TEST_END)
show.table([{"task": t, "train rate": f"{train[t]:.2%}", "test rate": f"{test[t]:.2%}"}
            for t in nf.TASKS], title="Share of impressions with each label")

X, Y, w = nf.training_rows()
n_train = sum(1 for e in data.impressions if nf.TRAIN_START <= e.t < nf.TRAIN_END)
print(f"training sample: {len(X):,} of {n_train:,} impressions (every positive, "
      f"{nf.NEG_KEEP:.0%} of the rest, weighted x{1 / nf.NEG_KEEP:g}); {len(nf.FEATURES)} features")

# Position bias, as the logs show it: the click rate by feed position.
by_pos = [[0, 0] for _ in range(nf.FEED_SIZE)]
for e in data.impressions:
    by_pos[e.position][0] += 1
    by_pos[e.position][1] += e.labels[0]
ctr = [c / n for n, c in by_pos]
show.line_chart(list(range(nf.FEED_SIZE)), {"logged click rate": [round(x, 4) for x in ctr]},
                x_title="feed position (0 = top)", y_title="click rate",
                title="Logged click rate by position")
exam = nf.examine_probability(0) / nf.examine_probability(9)
print(f"click rate at the top {ctr[0]:.1%}, at position 9 {ctr[9]:.1%}: {ctr[0] / ctr[9]:.1f}x, "
      f"where being looked at alone explains {exam:.1f}x")

assert 0.01 < train["click"] < 0.05 and 0.01 < train["like"] < 0.03        # a few per cent
assert max(train["comment"], train["share"]) < 0.005                      # well under 1 %
assert train["hide"] < min(train["comment"], train["share"])              # rarer still
assert ctr[0] > exam * ctr[9] and exam > 3        # position matters, and so does the incumbent's order
