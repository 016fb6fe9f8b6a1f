# The serving path for one keystroke: normalize -> trie lookup -> personal blend -> n-gram fill
# -> safety filter, timed stage by stage over keystrokes replayed from the test window, with the
# work each stage did. Times are in-process and vary from run to run; the counted work does not.
import math

from casestudies import query_autocomplete as qa
from mlsd import serving, show

DAY = 27.5
history, test = qa.split()
own = {}
for _, user, q in history + [s for s in test if s[0] < DAY]:
    own.setdefault(user, {})
    own[user][q] = own[user].get(q, 0) + 1
sample = [s for s in test if s[0] >= DAY][::4]
times = {stage: [] for stage in qa.SERVE_STAGES}
work, keystrokes = {}, 0
for _, user, q in sample:
    for p in range(1, len(q)):
        out = qa.serve(q[:p], user, DAY, own.get(user))
        keystrokes += 1
        for stage, ms in out["ms"].items():
            times[stage].append(ms)
        for key, n in out["work"].items():
            work.setdefault(key, []).append(n)
        assert out["work"]["trie nodes"] <= p and len(out["suggestions"]) <= qa.K

total = [sum(ms) for ms in zip(*times.values())]
mean_total = math.fsum(total) / len(total)
rows = [{"stage": s, "p50 (ms)": round(serving.p50(v), 4), "p99 (ms)": round(serving.p99(v), 4),
         "share of the time": round(math.fsum(v) / len(v) / mean_total, 2)} for s, v in times.items()]
rows.append({"stage": "total", "p50 (ms)": round(serving.p50(total), 4),
             "p99 (ms)": round(serving.p99(total), 4), "share of the time": 1.0})
show.table(rows, title=f"⏱ {keystrokes:,} keystrokes, in-process", varies=True)

ngram_runs = [n for n in work["n-gram words scored"] if n]
show.table([
    {"quantity": "trie nodes stepped (at most the characters typed)", "value": round(sum(work["trie nodes"]) / keystrokes, 1)},
    {"quantity": "top-k ids read", "value": round(sum(work["ids read"]) / keystrokes, 2)},
    {"quantity": "history queries scanned", "value": round(sum(work["history scanned"]) / keystrokes, 1)},
    {"quantity": "keystrokes that ran the n-gram fill", "value": round(len(ngram_runs) / keystrokes, 3)},
    {"quantity": "words scored when it ran", "value": round(sum(ngram_runs) / len(ngram_runs), 1)},
    {"quantity": "safety checks", "value": round(sum(work["safety checks"]) / keystrokes, 1)},
], title="Work per keystroke")

# The page: the lookup's work is the prefix length plus at most 8 ids, whatever the vocabulary;
# the n-gram fill runs on a minority of keystrokes (deep prefixes) and scores tens of words.
assert sum(work["ids read"]) / keystrokes <= qa.K
assert 0.1 < len(ngram_runs) / keystrokes < 0.6
assert 1 < sum(ngram_runs) / len(ngram_runs) < 100
assert max(work["history scanned"]) < 100                  # a user's history is small
