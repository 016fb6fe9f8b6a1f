# Phase 2, the second curveball: "your labellers disagree on hate speech 30 % of the time".
# This is the reviewer's cell, not the candidate's: it checks the candidate's reading ("so about
# 30 % of the hate labels are wrong") and prices the better answer. Model: two reviewers judge the
# same post independently, and each is wrong with the same probability e on hate and on benign
# posts. Real errors are neither independent nor symmetric; the point is the order of magnitude.
import math

from mlsd import show
from casestudies import harmful_content as hc

DISAGREE = 0.30            # the interviewer's figure: two reviewers disagree on 30 % of posts
HATE_SHARE = 0.40          # share of double-reviewed posts that really are hate (assumed)

# 2 e (1 - e) = DISAGREE  ->  e = (1 - sqrt(1 - 2 DISAGREE)) / 2
e = (1 - math.sqrt(1 - 2 * DISAGREE)) / 2
both_wrong = e * e                                   # agree, and both wrong
wrong_among_agreed = both_wrong / (1 - DISAGREE)
# Cohen's kappa: agreement beyond what two reviewers with these marginals reach by chance.
says_hate = HATE_SHARE * (1 - e) + (1 - HATE_SHARE) * e
chance = says_hate ** 2 + (1 - says_hate) ** 2
kappa = (1 - DISAGREE - chance) / (1 - chance)
# Adjudication: two reviews; when they disagree, a third reviewer decides (a majority of three).
adjudicated = e * e + DISAGREE * e
reviews_per_post = 2 + DISAGREE

show.table([
    {"quantity": "error of one reviewer, implied by 30 % disagreement", "value": f"{e:.1%}"},
    {"quantity": "posts where both agree and both are wrong", "value": f"{both_wrong:.1%}"},
    {"quantity": "wrong labels among the agreed posts", "value": f"{wrong_among_agreed:.1%}"},
    {"quantity": f"Cohen's kappa, {HATE_SHARE:.0%} of the posts really hate", "value": round(kappa, 2)},
    {"quantity": "error after a third reviewer settles disagreements", "value": f"{adjudicated:.1%}"},
    {"quantity": "reviews per adjudicated post", "value": reviews_per_post},
], title="What 30 % disagreement means")

# The case study's world: a reviewer misses 8 % of hate (and wrongly flags 0.05 % of benign posts).
case_e = 0.08
print(f"two reviewers who each miss {case_e:.0%} of hate disagree on {2 * case_e * (1 - case_e):.1%} "
      f"of hate posts: the interviewer's world is harsher than the case study's")
w = hc.world()
hate_error = {w.reviewer_error[i] for i in range(len(w)) if w.label[i] == 2}
assert hate_error == {case_e}, f"the case study's reviewers miss {hate_error} of hate, not {case_e}"

assert round(e, 3) == 0.184, "the critique says each reviewer is wrong about 18 % of the time, not 30 %"
assert round(wrong_among_agreed, 3) == 0.048, "the critique says about 5 % of the agreed labels are still wrong"
assert 0.35 < kappa < 0.45, "the critique says kappa is about 0.4"
assert round(adjudicated, 3) == 0.089 and reviews_per_post == 2.3, \
    "the critique says a third reviewer halves the error to about 9 % at 2.3 reviews a post"
assert round(2 * case_e * (1 - case_e), 3) == 0.147, "the note says the case study's reviewers would disagree on about 15 %"
