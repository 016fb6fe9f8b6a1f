"""Reference-based metrics for generated text: exact match, token F1, BLEU and ROUGE, from scratch.

Each metric compares a generated answer (the *candidate*) with one or more human-written
*references* and returns a number in [0, 1]. None of them knows whether the candidate is
true; they count shared words. That makes them cheap and reproducible, and blind to a correct
paraphrase or to a wrong answer that reuses the reference's words.

**Normalisation** (as in the SQuAD evaluation, Rajpurkar et al., 2016,
https://arxiv.org/abs/1606.05250): lower-case, drop punctuation and the articles a/an/the,
split on white space. :func:`tokens` does it; every metric below works on its output.

**Exact match** is 1 if the normalised candidate equals a normalised reference, else 0.

**Token F1** treats both as bags of tokens. With ``c`` the number of tokens they share
(counted with multiplicity)::

    precision = c / len(candidate),  recall = c / len(reference),  F1 = 2 P R / (P + R)

**BLEU** (Papineni et al., ACL 2002, https://aclanthology.org/P02-1040/) multiplies the
geometric mean of the *clipped* n-gram precisions ``p_1 .. p_N`` (each candidate n-gram counts
at most as often as it appears in the reference) by a brevity penalty that punishes short
candidates::

    BP = 1 if len(cand) > len(ref) else exp(1 - len(ref) / len(cand))
    BLEU = BP * exp((1/N) * sum_n log p_n)

BLEU was designed for a whole corpus; on one short sentence a single missing 3-gram makes it 0,
so :func:`bleu` adds one to the numerator and denominator of ``p_n`` for n >= 2 (add-one
smoothing, one of the sentence-level variants compared by Lin and Och, 2004,
https://aclanthology.org/C04-1072/).

**ROUGE-L** (Lin, 2004, https://aclanthology.org/W04-1013/) uses the longest common
subsequence (LCS: the longest run of tokens that appears in both in the same order, not
necessarily adjacent)::

    R = LCS / len(ref),  P = LCS / len(cand),  ROUGE-L = 2 P R / (P + R)

Lin's F-measure is ``(1 + beta^2) P R / (R + beta^2 P)``, with a large ``beta`` (recall only) in
the paper's DUC runs; this module takes ``beta = 1``, P and R weighted equally.

**ROUGE-N** is the recall of reference n-grams. With several references every metric takes the
best score over them (BLEU takes the reference closest in length for its brevity penalty and
clips against the maximum count over references, as the paper does).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter

from mlsd.validate import check_positive_int

__all__ = ["tokens", "exact_match", "token_f1", "ngrams", "bleu", "rouge_n", "rouge_l", "lcs_length"]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans({c: " " for c in string.punctuation})


def _text(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    return value


def _references(references) -> list[str]:
    refs = [references] if isinstance(references, str) else references
    if not isinstance(refs, (list, tuple)):
        raise TypeError(f"references must be a string or a list of strings, got {type(references).__name__}")
    if not refs:
        raise ValueError("references must not be empty")
    return [_text(f"references[{i}]", r) for i, r in enumerate(refs)]


def tokens(text: str) -> list[str]:
    """Normalised tokens: lower case, no punctuation, no articles (a, an, the)."""
    text = _text("text", text).lower().translate(_PUNCT)
    return _ARTICLES.sub(" ", text).split()


def exact_match(candidate: str, references) -> float:
    """1.0 if the normalised candidate equals one of the normalised references, else 0.0."""
    cand = tokens(_text("candidate", candidate))
    return float(any(cand == tokens(r) for r in _references(references)))


def _f1(cand: list[str], ref: list[str]) -> float:
    if not cand or not ref:
        return float(cand == ref)
    common = sum((Counter(cand) & Counter(ref)).values())
    if common == 0:
        return 0.0
    p, r = common / len(cand), common / len(ref)
    return 2 * p * r / (p + r)


def token_f1(candidate: str, references) -> float:
    """Bag-of-tokens F1 between candidate and reference (the best over references)."""
    cand = tokens(_text("candidate", candidate))
    return max(_f1(cand, tokens(r)) for r in _references(references))


def ngrams(toks: list[str], n: int) -> Counter:
    """Counts of the n-grams (tuples of n consecutive tokens) of ``toks``."""
    n = check_positive_int("n", n)
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def bleu(candidate: str, references, max_n: int = 4) -> float:
    """Sentence BLEU with clipped n-gram precisions up to ``max_n``, add-one smoothing for n >= 2."""
    max_n = check_positive_int("max_n", max_n)
    cand = tokens(_text("candidate", candidate))
    refs = [tokens(r) for r in _references(references)]
    if not cand:
        return 0.0
    log_p = 0.0
    for n in range(1, max_n + 1):
        counts = ngrams(cand, n)
        best = Counter()
        for ref in refs:
            best |= ngrams(ref, n)                      # max count of each n-gram over references
        clipped = sum(min(c, best[g]) for g, c in counts.items())
        total = sum(counts.values())
        if n > 1:
            clipped, total = clipped + 1, total + 1     # add-one smoothing
        if clipped == 0:
            return 0.0
        log_p += math.log(clipped / total) / max_n
    ref_len = min((abs(len(r) - len(cand)), len(r)) for r in refs)[1]
    bp = 1.0 if len(cand) > ref_len else math.exp(1 - ref_len / len(cand))
    return bp * math.exp(log_p)


def rouge_n(candidate: str, references, n: int = 1) -> float:
    """Recall of the reference's n-grams in the candidate (clipped), the best over references."""
    n = check_positive_int("n", n)
    cand = ngrams(tokens(_text("candidate", candidate)), n)
    best = 0.0
    for r in _references(references):
        ref = ngrams(tokens(r), n)
        if ref:
            best = max(best, sum((cand & ref).values()) / sum(ref.values()))
    return best


def lcs_length(a: list, b: list) -> int:
    """Length of the longest common subsequence of two token lists (dynamic programming, O(len a * len b))."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: str, references) -> float:
    """ROUGE-L F-measure from the longest common subsequence (the best over references)."""
    cand = tokens(_text("candidate", candidate))
    best = 0.0
    for r in _references(references):
        ref = tokens(r)
        lcs = lcs_length(cand, ref) if cand and ref else 0
        if lcs:
            p, rec = lcs / len(cand), lcs / len(ref)
            best = max(best, 2 * p * rec / (p + rec))
    return best
