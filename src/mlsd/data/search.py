"""Seeded documents and queries with graded relevance labels, and BM25 to search them.

The corpus is written from a known world, so a ranking page can measure how
far lexical matching gets and what extra signals add:

- **Topics and aspects.** 8 topics (cooking, travel, ...) with 2 aspects each
  (baking / pasta, hiking / city trips, ...). Each has its own small
  vocabulary; a few words belong to two topics ("java", "stock", "rock",
  "tomato", "market"), as real words do.
- **Documents.** A document is about one aspect. Its title uses that aspect's
  words; its body mixes the aspect's words (15–45% of the body), its topic's
  general words, stop words, a little noise — and in 40% of documents, a
  passing mention of another aspect (10–30% of the body). Those mentions are
  what make pure term matching return some wrong documents. Each document
  has a hidden *quality* in (0, 1).
- **Spam.** A few documents repeat popular aspect words over and over (keyword
  stuffing): they score high on term matching but are useless.
- **Queries** are 2–3 words of one aspect, sometimes with a topic word.
- **Labels** (0–3): 3 = same aspect and *utility* >= 0.5, where utility =
  ``0.5 quality + 0.5 depth + noise`` and depth rescales the document's
  focus on its aspect to [0, 1]; 2 = same aspect, lower utility; 1 = same
  topic, other aspect; 0 = anything else, and every spam page. So term
  matching (which sees depth) and quality both carry part of the signal.

**BM25** scores a document ``d`` for a query ``q`` as
``sum over distinct terms t of q: idf(t) * tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl))``
with ``idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))`` (the always-positive
variant Lucene uses). ``tf`` saturates — the tenth repeat of a word adds
little — and ``b`` discounts long documents.

Reference: Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
and Beyond", Foundations and Trends in IR 3(4), 2009
(https://doi.org/10.1561/1500000019).
"""

from __future__ import annotations

import functools
import math
import random
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from mlsd.validate import (check_int, check_k, check_non_empty, check_number, check_positive_int,
                           check_probability)

__all__ = ["STOPWORDS", "TOPICS", "tokenize", "Doc", "Query", "SearchData", "make_search_data",
           "BM25", "bm25_index", "FEATURE_NAMES", "ranking_candidates"]

# Each topic has general words and two aspects with their own words ("topic: general words /
# aspect: words / aspect: words", topics separated by ";"); words earlier in a list are used
# more often. Some words are shared across topics on purpose (bank, java, stock, rock, pitch).
_VOCABULARY = """\
cooking: recipe kitchen cook dish flavor meal stock light / baking: bread oven dough flour
yeast bake crust pastry sourdough / pasta: pasta sauce noodle tomato garlic basil boil parmesan
spaghetti; travel: trip travel hotel flight tourist visit bank java / hiking: trail hike
mountain backpack summit camping boots map ridge / city: museum city tour metro cafe downtown
architecture market street; fitness: workout exercise training muscle fitness gym rock track /
running: run marathon pace sprint jog shoes stride distance race / strength: weights squat
deadlift bench press barbell lift reps protein; finance: money finance invest budget account
bank stock pitch / investing: portfolio dividend index fund shares bond returns market etf /
saving: save savings expense debt interest emergency spending loan credit; gardening: garden
plant soil grow seed water tree leaf / vegetables: tomato lettuce carrot harvest compost bed
pepper bean squash / flowers: rose tulip bloom petal bulb prune perennial pollinator orchid;
photography: photo camera lens picture image shoot light focus / portrait: portrait face studio
flash pose skin headshot bokeh model / landscape: landscape sunset tripod horizon wide exposure
filter sky golden; programming: code program software developer function bug tree java /
python: python pandas list dict script import numpy pip notebook / web: html css javascript
browser server api react http frontend; music: music song band album sound play rock track
pitch / guitar: guitar chord string riff amp strum fret pick tuning / piano: piano keys scale
sonata pedal melody sheet practice classical"""


def _parse_topics(text: str) -> dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]]:
    topics = {}
    for entry in " ".join(text.split()).split("; "):
        general, *aspects = entry.split(" / ")
        name, words = general.split(": ")
        topics[name] = (tuple(words.split()),
                        {aspect: tuple(ws.split()) for aspect, ws in (a.split(": ") for a in aspects)})
    return topics


# topic -> (general words, {aspect: words})
TOPICS = _parse_topics(_VOCABULARY)

STOPWORDS = frozenset(("the", "a", "an", "and", "of", "to", "in", "for", "with", "how", "your", "my",
                       "is", "on", "at", "from", "why", "what", "this", "that", "it", "you"))
_FILLERS = ("best", "guide", "tips", "easy", "simple", "new", "beginner", "complete", "great", "ideas")
_STOPWORD_LIST = tuple(sorted(STOPWORDS))
_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str, remove_stopwords: bool = True) -> list[str]:
    """Lower-case, split on anything that is not a letter or digit, drop stop words."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    tokens = _TOKEN.findall(text.lower())
    return [t for t in tokens if t not in STOPWORDS] if remove_stopwords else tokens


@dataclass(frozen=True)
class Doc:
    id: int
    title: str
    text: str
    topic: str
    aspect: str
    focus: float
    quality: float
    spam: bool
    utility: float = 0.0


@dataclass(frozen=True)
class Query:
    id: int
    text: str
    topic: str
    aspect: str


@dataclass(frozen=True, eq=False)            # eq=False: hashed by identity, cheap for caches
class SearchData:
    """``docs`` and ``queries`` (ids = positions), and ``qrels``: ``(query_id, doc_id, grade)``
    for every pair with a grade above 0."""

    docs: tuple[Doc, ...]
    queries: tuple[Query, ...]
    qrels: tuple[tuple[int, int, int], ...]

    def grades(self, query_id: int) -> dict[int, int]:
        """``{doc_id: grade}`` for one query (documents not listed have grade 0)."""
        check_int("query_id", query_id)
        if not 0 <= query_id < len(self.queries):
            raise ValueError(f"query_id must be in [0, {len(self.queries)}), got {query_id}")
        return {d: g for q, d, g in self.qrels if q == query_id}


@functools.lru_cache(maxsize=None)
def _cum_weights(n: int) -> tuple[float, ...]:
    return tuple(accumulate(1.0 / (i + 1) for i in range(n)))


def _pick(rng: random.Random, words: Sequence[str]) -> str:
    """A word from the list, earlier words more often (weights 1, 1/2, 1/3, ...: Zipf-like)."""
    return rng.choices(words, cum_weights=_cum_weights(len(words)))[0]


def _grade(query: Query, doc: Doc) -> int:
    if doc.spam:
        return 0
    if doc.aspect == query.aspect and doc.topic == query.topic:
        return 3 if doc.utility >= 0.5 else 2
    return 1 if doc.topic == query.topic else 0


@functools.lru_cache(maxsize=8)
def make_search_data(*, n_docs: int = 400, queries_per_aspect: int = 2, spam_fraction: float = 0.05,
                     seed: int = 0) -> SearchData:
    """Build the seeded corpus described in the module docstring (memoized; immutable)."""
    n_docs = check_positive_int("n_docs", n_docs)
    queries_per_aspect = check_positive_int("queries_per_aspect", queries_per_aspect)
    spam_fraction = check_probability("spam_fraction", spam_fraction, open_high=True)
    rng = random.Random(check_int("seed", seed))
    aspects = [(t, a) for t, (_, asp) in TOPICS.items() for a in asp]
    all_words = sorted({w for general, asp in TOPICS.values() for w in general + sum(asp.values(), ())})

    docs = []
    for i in range(n_docs):
        topic, aspect = aspects[rng.randrange(len(aspects))]
        general, asp = TOPICS[topic]
        own = asp[aspect]
        sibling = next(words for name, words in asp.items() if name != aspect)
        if rng.random() < spam_fraction:             # keyword stuffing: a few words, many times
            bait = own[:3] + general[:1]
            title = " ".join([_pick(rng, _FILLERS)] + list(bait))
            body = " ".join(bait[0] if rng.random() < 0.6 else rng.choice(bait)   # one word dominates
                            for _ in range(rng.randint(60, 120)))
            docs.append(Doc(i, title, body, topic, aspect, 0.0, round(0.05 * rng.random(), 3), True))
            continue
        title_words = [_pick(rng, _FILLERS)] + [_pick(rng, own) for _ in range(rng.randint(2, 3))]
        if rng.random() < 0.5:
            title_words.append(_pick(rng, general))
        # How much of the body is about the document's own aspect varies; many documents
        # also mention another aspect in passing (a food tour mentions pasta), which is
        # what makes plain term matching retrieve some wrong documents.
        focus = rng.uniform(0.15, 0.45)
        other_topic, other_aspect = aspects[rng.randrange(len(aspects))]
        mention = TOPICS[other_topic][1][other_aspect] if other_aspect != aspect else sibling
        mention_share = rng.uniform(0.1, 0.3) if rng.random() < 0.4 else 0.0
        cuts = list(accumulate((0.30, focus, 0.15, mention_share, 0.05)))
        body = []
        for _ in range(rng.randint(40, 120)):
            u = rng.random() * (cuts[-1] + 0.03)
            if u < cuts[0]:
                body.append(rng.choice(_STOPWORD_LIST))
            elif u < cuts[1]:
                body.append(_pick(rng, own))
            elif u < cuts[2]:
                body.append(_pick(rng, general))
            elif u < cuts[3]:
                body.append(_pick(rng, mention))
            elif u < cuts[4]:
                body.append(_pick(rng, _FILLERS))
            else:
                body.append(rng.choice(all_words))   # off-topic noise
        quality = round(rng.betavariate(2.0, 2.0), 3)
        # how useful the page is to someone looking for its aspect: depth and quality, plus noise
        utility = round(0.5 * quality + 0.5 * (focus - 0.15) / 0.3 + rng.normalvariate(0.0, 0.1), 3)
        docs.append(Doc(i, " ".join(title_words), " ".join(body), topic, aspect, round(focus, 3),
                        quality, False, utility))

    queries, seen = [], set()
    for topic, aspect in aspects:
        general, asp = TOPICS[topic]
        made = attempts = 0
        while made < queries_per_aspect and attempts < 100:
            attempts += 1
            words, n_words = [], rng.randint(2, 3)
            while len(words) < n_words:
                w = _pick(rng, asp[aspect])
                if w not in words:
                    words.append(w)
            if rng.random() < 0.3:
                words.append(_pick(rng, general))
            text = " ".join(words)
            if text not in seen:
                seen.add(text)
                queries.append(Query(len(queries), text, topic, aspect))
                made += 1

    qrels = tuple((q.id, d.id, g) for q in queries for d in docs if (g := _grade(q, d)) > 0)
    return SearchData(tuple(docs), tuple(queries), qrels)


def _check_query(query: object) -> None:
    if isinstance(query, str) or not all(isinstance(t, str) for t in query):
        raise TypeError("query must be a list of string tokens (use tokenize), not a str")


class BM25:
    """An inverted index over tokenized documents, scored with BM25 (see module docstring)."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        docs = check_non_empty("docs", docs)
        self.k1 = check_number("k1", k1)
        if self.k1 < 0:
            raise ValueError(f"k1 must be >= 0, got {self.k1}")
        self.b = check_probability("b", b)
        self.doc_len = []
        self.postings: dict[str, list[tuple[int, int]]] = {}    # term -> [(doc id, term count)]
        for i, tokens in enumerate(docs):
            if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
                raise TypeError(f"docs[{i}] must be a list of string tokens (use tokenize)")
            counts: dict[str, int] = {}
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
            for t, c in counts.items():
                self.postings.setdefault(t, []).append((i, c))
            self.doc_len.append(len(tokens))
        self.n_docs = len(docs)
        self.avgdl = math.fsum(self.doc_len) / self.n_docs or 1.0

    def idf(self, term: str) -> float:
        """``ln(1 + (N - df + 0.5) / (df + 0.5))``: rare terms weigh more; never negative."""
        if not isinstance(term, str):
            raise TypeError(f"term must be a str, got {type(term).__name__}")
        df = len(self.postings.get(term, ()))
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))

    def _term_weight(self, tf: int, doc: int) -> float:
        norm = self.k1 * (1.0 - self.b + self.b * self.doc_len[doc] / self.avgdl)
        return tf * (self.k1 + 1.0) / (tf + norm)

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """BM25 score of every document that contains at least one query term."""
        _check_query(query)
        out: dict[int, float] = {}
        for term in dict.fromkeys(query):                          # distinct terms, query order
            idf = self.idf(term)
            for doc, tf in self.postings.get(term, ()):
                out[doc] = out.get(doc, 0.0) + idf * self._term_weight(tf, doc)
        return out

    def score(self, query: Sequence[str], doc: int) -> float:
        """BM25 score of one document (0 if it shares no term with the query)."""
        check_int("doc", doc)
        if not 0 <= doc < self.n_docs:
            raise ValueError(f"doc must be in [0, {self.n_docs}), got {doc}")
        return self.scores(query).get(doc, 0.0)

    def search(self, query: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        """Top-``k`` ``(doc id, score)`` pairs, best first; ties go to the smaller id."""
        _check_query(query)
        k = check_k(k, self.n_docs)
        ranked = sorted(self.scores(query).items(), key=lambda pair: (-pair[1], pair[0]))
        return ranked[:k]


@functools.lru_cache(maxsize=8)
def bm25_index(data: SearchData, field: str = "text") -> BM25:
    """A BM25 index over ``field`` (``"text"`` or ``"title"``) of the documents (memoized)."""
    if field not in ("text", "title"):
        raise ValueError(f"field must be 'text' or 'title', got {field!r}")
    return BM25([tokenize(getattr(d, field)) for d in data.docs])


FEATURE_NAMES = ("bm25_body", "bm25_title", "query_coverage", "quality", "doc_length", "max_term_share")


def ranking_candidates(data: SearchData, k: int = 20) -> list[dict]:
    """A learning-to-rank data set: the top-``k`` BM25 documents of every query, with features.

    One row per (query, candidate): ``query_id, doc_id, grade`` and the
    features in ``FEATURE_NAMES`` — body and title BM25, the share of query
    terms the document contains, its quality, its length in tokens, and the
    share of its tokens taken by its most frequent word (high for stuffed spam).
    """
    if not isinstance(data, SearchData):
        raise TypeError(f"data must be a SearchData, got {type(data).__name__}")
    k = check_k(k, len(data.docs))
    body, title = bm25_index(data, "text"), bm25_index(data, "title")
    rows = []
    for q in data.queries:
        terms = tokenize(q.text)
        grades = data.grades(q.id)
        title_scores = title.scores(terms)
        for doc_id, score in body.search(terms, k):
            tokens = tokenize(data.docs[doc_id].text)
            counts: dict[str, int] = {}
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
            rows.append({"query_id": q.id, "doc_id": doc_id, "grade": grades.get(doc_id, 0),
                         "bm25_body": score, "bm25_title": title_scores.get(doc_id, 0.0),
                         "query_coverage": sum(t in counts for t in set(terms)) / len(set(terms)),
                         "quality": data.docs[doc_id].quality, "doc_length": len(tokens),
                         "max_term_share": max(counts.values()) / len(tokens)})
    return rows
