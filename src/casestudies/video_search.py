"""Video search end to end: a text query in, ten videos out, small enough for a browser.

The page ``docs/case-studies/video-search.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the catalogue, an
index or a trained ranker builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A video platform's catalogue in miniature: a few thousand videos
in eight topics (cooking, gaming, fitness, music, home repair, travel, tech, cars). Each topic
has five *concepts*, and each concept has a word creators use in titles ("pasta", the canonical
form) and a word viewers type ("noodles", the paraphrase): :data:`TOPICS`. Each video covers two
concepts of its topic and, half the time, a *name* (a game, a band, a car model: made-up words
such as ``zorvik``). It has three text fields: a title (names and canonical words), a
description, and a speech transcript (mostly filler words, with both forms of its concepts).
Its quality is hidden; the platform sees noisy proxies of it (views, like rate).

**Queries** (:func:`query_log`) arrive over :data:`DAYS` days, 2-3 words each, drawn from a
Zipf distribution over distinct queries (a head of popular queries and a long tail). Four
kinds: ``name`` (a name and a concept: "zorvik boss"), ``keyword`` (canonical words),
``paraphrase`` (the viewer's words, which titles rarely use) and ``typo`` (any of these with one
letter wrong). From day :data:`LAUNCH_DAY` a new game is released whose name is one letter
away from an old one (a sequel); its videos and queries appear that day.

**Human grades** (:func:`grade`): 0-3, as judges would give them. A video is relevant (grade 2)
when it covers what the query asks (the name and a concept, or both concepts), partly relevant
(1) when it covers part of it (the name only, or one concept); a relevant video of good quality
(hidden quality >= 0.6) gets 3. Judges grade every video for the judged queries here; in production they grade a pool
of the top results of several systems.

**Stand-ins, said plainly.** No neural network runs in the page. The *dense text-video
encoder* (:func:`embed_query`, :func:`video_vectors`) maps each word to its concept (both forms
of a concept land on the same direction, plus a shared direction for its topic), every name to
one direction per topic (a text encoder knows ``zorvik`` is a game, not which game), and
unknown words (typos) to hashed noise. The video side adds a "visual" topic direction, as a
video encoder that sees the frames would. The vectors are sparse, so exact dense search here is
an inverted scan; production runs an approximate nearest-neighbour index over dense vectors.

**The system.** :class:`FieldIndex` holds one BM25 index per field
(:class:`mlsd.data.search.BM25`), scores are summed with field weights (:data:`FIELD_WEIGHTS`).
:func:`retrieve` returns BM25, dense or hybrid lists (fused with
:func:`mlsd.retrieval.fusion.reciprocal_rank_fusion`), after optional query understanding
(:func:`correct_spelling` against the query-log vocabulary, :func:`expand_synonyms`).
:func:`features` describes each (query, candidate) pair; :func:`incumbent_rank` is the
hand-tuned production ranker (fusion score plus a popularity prior); :func:`trained_rankers`
fits a pointwise logistic regression and a pairwise RankNet (:mod:`mlsd.ranking.pairwise`) on
human grades. :func:`click_log` simulates sessions under the incumbent with position bias and a
randomized slice; :func:`click_labels` turns them into naive and inverse-propensity-weighted
labels. :func:`serve` runs one query through every stage with its time and counted work.

**Time windows.** Queries of days 0-60 (:data:`SPLIT_DAY`) build the vocabulary, the judged
training set and the click log; judged queries of days 60-90 test. A video is a candidate only
from its upload day on.
"""

from __future__ import annotations

import math
import random
import time
import zlib
from dataclasses import dataclass

from casestudies.memo import memoized
from mlsd import metrics
from mlsd.data.search import BM25
from mlsd.ranking.logistic import LogisticRegression
from mlsd.ranking.pairwise import PairwiseRanker
from mlsd.retrieval.fusion import reciprocal_rank_fusion
from mlsd.validate import check_choice, check_number, check_positive_int

__all__ = ["WORLD", "DAYS", "SPLIT_DAY", "LAUNCH_DAY", "TOPICS", "KINDS", "METHODS", "FIELDS",
           "FIELD_WEIGHTS", "FEATURE_NAMES", "SERVE_STAGES", "Video", "Query", "tokenize",
           "catalog", "query_log", "judged_queries", "grade", "grades", "relevant",
           "FieldIndex", "field_index", "embed_query", "video_vectors", "dense_search",
           "edit_distance", "vocabulary", "correct_spelling", "expand_synonyms", "understand",
           "retrieve", "candidates", "features", "incumbent_rank", "trained_rankers",
           "pointwise_ranker", "graded_pointwise_ranker", "pairwise_ranker", "tuned_prior",
           "INCUMBENT_PRIOR", "PRIOR_GRID", "candidate_features", "rank_with", "ndcg10", "retrieval_metrics", "click_log", "click_labels",
           "estimate_propensities", "click_trained_ranker", "success_probability",
           "interleaving_sessions", "PROPENSITY", "ATTRACT", "serve"]

WORLD = dict(n_videos=2_400, queries_per_day=120, n_distinct=1_500, zipf=1.05, typo_rate=0.12,
             judged_train=160, judged_test=160, sessions=6_000, randomized_share=0.1, seed=0)
DAYS = 90
SPLIT_DAY = 60.0
LAUNCH_DAY = 80
KINDS = ("name", "keyword", "paraphrase", "typo")
METHODS = ("bm25", "dense", "hybrid")
FIELDS = ("title", "description", "transcript")
FIELD_WEIGHTS = {"title": 2.0, "description": 1.0, "transcript": 0.5}
CANDIDATES = 50            # what the first stage hands the ranker
POOL = 60                  # how deep each retriever's list goes into the fusion
PROPENSITY = tuple((1.0 / (i + 1)) ** 0.9 for i in range(10))   # P(examine position i), hidden
ATTRACT = (0.02, 0.12, 0.4, 0.7)     # P(click | examined, grade): what the snippet promises

# topic -> five concepts, each (creator's word, viewer's word)
TOPICS = {
    "cooking": (("recipe", "cook"), ("pasta", "noodles"), ("dessert", "sweets"),
                ("vegan", "plantbased"), ("beginner", "easy")),
    "gaming": (("walkthrough", "playthrough"), ("speedrun", "fastest"), ("boss", "enemy"),
               ("tips", "tricks"), ("review", "verdict")),
    "fitness": (("workout", "exercise"), ("abs", "core"), ("stretching", "mobility"),
                ("cardio", "running"), ("bodyweight", "noequipment")),
    "music": (("guitar", "chords"), ("cover", "rendition"), ("lesson", "tutorial"),
              ("live", "concert"), ("lyrics", "words")),
    "repair": (("repair", "fix"), ("faucet", "tap"), ("drywall", "plasterboard"),
               ("install", "setup"), ("tools", "equipment")),
    "travel": (("itinerary", "plan"), ("budget", "cheap"), ("hotel", "lodging"),
               ("vlog", "diary"), ("streetfood", "snacks")),
    "tech": (("unboxing", "firstlook"), ("smartphone", "phone"), ("laptop", "notebook"),
             ("battery", "charging"), ("comparison", "versus")),
    "cars": (("engine", "motor"), ("maintenance", "servicing"), ("electric", "ev"),
             ("testdrive", "drive"), ("tires", "wheels")),
}
GENERIC = ("best", "new", "how", "guide", "top", "full", "ultimate", "my")
FILLERS = ("so", "today", "we", "are", "going", "really", "like", "just", "okay", "this", "um",
           "you", "know", "right", "here", "and", "then", "what", "that", "now", "let", "see")
SYLLABLES = ("zor", "vik", "tal", "mer", "ka", "lun", "dra", "bex", "qui", "nor", "sel", "vo",
             "rin", "gav", "tho", "pell")
N_NAMES = 6                # names per topic
FEATURE_NAMES = ("bm25_title", "bm25_description", "bm25_transcript", "dense", "title_coverage",
                 "log_views", "like_rate", "age_days")
SERVE_STAGES = ("understand", "bm25", "dense", "fuse", "features", "rank")

_WORD = {}                 # word -> (topic, concept index, form index)
for _t, _concepts in TOPICS.items():
    for _c, _forms in enumerate(_concepts):
        for _f, _w in enumerate(_forms):
            _WORD[_w] = (_t, _c, _f)


@dataclass(frozen=True)
class Video:
    id: int
    topic: str
    concepts: tuple          # two concept indices of the topic
    name: str | None
    title: str
    description: str
    transcript: str
    quality: float           # hidden: what judges see
    views: int
    like_rate: float         # a noisy proxy of quality
    upload_day: float        # negative: uploaded before the 90 days


@dataclass(frozen=True)
class Query:
    id: int                  # the distinct query's id (the same text in the log shares it)
    day: float
    text: str
    kind: str
    topic: str
    concepts: tuple
    name: str | None


def tokenize(text: str) -> list[str]:
    """Lower-case words split on spaces: the toy's text is already clean."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return text.lower().split()


def _name(rng: random.Random, used: set) -> str:
    while True:
        word = "".join(rng.sample(SYLLABLES, 2))
        if word not in used and word not in _WORD:
            used.add(word)
            return word


@memoized(maxsize=1)
def _names() -> dict:
    """topic -> its names; plus the launch name, one letter away from an old gaming name."""
    rng = random.Random(WORLD["seed"] + 7)
    used: set = set()
    names = {t: tuple(_name(rng, used) for _ in range(N_NAMES)) for t in TOPICS}
    old = names["gaming"][0]
    launch = old[:-1] + ("x" if not old.endswith("x") else "z")
    return {"by_topic": names, "launch": launch, "launch_of": old}


def _form(rng: random.Random, topic: str, concept: int, p_canonical: float) -> str:
    forms = TOPICS[topic][concept]
    return forms[0] if rng.random() < p_canonical else forms[1]


@memoized(maxsize=1)
def catalog() -> tuple[Video, ...]:
    """Every video, seeded; the launch game's videos are uploaded from :data:`LAUNCH_DAY` on."""
    rng = random.Random(WORLD["seed"])
    names = _names()
    topics = list(TOPICS)
    out = []
    n_launch = 40
    for i in range(WORLD["n_videos"]):
        launch = i >= WORLD["n_videos"] - n_launch
        topic = "gaming" if launch else topics[i % len(topics)]
        concepts = tuple(rng.sample(range(5), 2))
        name = names["launch"] if launch else (
            rng.choice(names["by_topic"][topic]) if rng.random() < 0.5 else None)
        title = ([name] if name else []) + [_form(rng, topic, c, 0.9) for c in concepts]
        title += rng.sample(GENERIC, rng.randint(1, 2))
        rng.shuffle(title)
        desc = [_form(rng, topic, c, 0.6) for c in concepts]
        desc += [TOPICS[topic][rng.randrange(5)][0] for _ in range(3)]
        if name and rng.random() < 0.7:
            desc.append(name)
        desc += [rng.choice(FILLERS) for _ in range(6)]
        rng.shuffle(desc)
        trans = []
        for _ in range(24):
            u = rng.random()
            if u < 0.2:
                trans.append(_form(rng, topic, rng.choice(concepts), 0.5))
            elif u < 0.3:
                trans.append(_form(rng, topic, rng.randrange(5), 0.5))
            elif u < 0.35 and name:
                trans.append(name)
            else:
                trans.append(rng.choice(FILLERS))
        quality = rng.betavariate(2.0, 2.0)
        views = int(math.exp(7.0 + 2.5 * quality + rng.gauss(0.0, 1.2)))
        like_rate = min(1.0, max(0.0, 0.55 + 0.35 * quality + rng.gauss(0.0, 0.12)))
        day = rng.uniform(LAUNCH_DAY, DAYS) if launch else rng.uniform(-700.0, 55.0)
        out.append(Video(i, topic, concepts, name, " ".join(title), " ".join(desc), " ".join(trans),
                         round(quality, 3), views, round(like_rate, 3), round(day, 2)))
    return tuple(out)


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1) if len(word) > 3 else 0
    op = rng.randrange(3)
    if op == 0:                                        # drop a letter
        return word[:i] + word[i + 1:]
    if op == 1 and i + 1 < len(word):                  # swap two letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    letter = "abcdefghijklmnopqrstuvwxyz"[rng.randrange(26)]
    return word[:i] + letter + word[i + 1:]            # replace a letter


def _distinct_queries(rng: random.Random) -> list[tuple]:
    names = _names()["by_topic"]
    seen, out = set(), []
    kinds = ("name", "keyword", "paraphrase")
    weights = (0.3, 0.45, 0.25)
    while len(out) < WORLD["n_distinct"]:
        kind = rng.choices(kinds, weights)[0]
        topic = rng.choice(list(TOPICS))
        if kind == "name":
            name, concepts = rng.choice(names[topic]), (rng.randrange(5),)
            words = [name, _form(rng, topic, concepts[0], 0.7)]
        else:
            name, concepts = None, tuple(rng.sample(range(5), 2))
            form = 0 if kind == "keyword" else 1
            words = [TOPICS[topic][c][form] for c in concepts]
            if rng.random() < 0.3:
                words.append(rng.choice(GENERIC))
        text = " ".join(words)
        if text not in seen:
            seen.add(text)
            out.append((text, kind, topic, concepts, name))
    return out


@memoized(maxsize=1)
def query_log() -> tuple[Query, ...]:
    """Every query typed over the :data:`DAYS` days, sorted by time (a Zipf head and a long tail).

    A ``typo`` query keeps the intent (topic, concepts, name) of the query it misspells. From
    :data:`LAUNCH_DAY` on, one query in ten asks for the newly launched game.
    """
    rng = random.Random(WORLD["seed"] + 1)
    distinct = _distinct_queries(rng)
    cum, total = [], 0.0
    for r in range(len(distinct)):
        total += 1.0 / (r + 1) ** WORLD["zipf"]
        cum.append(total)
    names = _names()
    launch_ids = {}
    out = []
    for day in range(DAYS):
        for _ in range(WORLD["queries_per_day"]):
            t = day + rng.random()
            if day >= LAUNCH_DAY and rng.random() < 0.1:
                c = rng.randrange(5)
                text = f"{names['launch']} {TOPICS['gaming'][c][0]}"
                qid = launch_ids.setdefault(text, len(distinct) + len(launch_ids))
                q = Query(qid, t, text, "name", "gaming", (c,), names["launch"])
            else:
                r = _bisect(cum, rng.random() * total)
                text, kind, topic, concepts, name = distinct[r]
                q = Query(r, t, text, kind, topic, concepts, name)
            if rng.random() < WORLD["typo_rate"]:
                words = text.split()
                j = rng.randrange(len(words))
                if len(words[j]) >= 4:
                    words[j] = _typo(rng, words[j])
                    typo = " ".join(words)
                    if typo != text:
                        q = Query(-1, t, typo, "typo", q.topic, q.concepts, q.name)
            out.append(q)
    out.sort(key=lambda q: q.day)
    return tuple(out)


def _bisect(cum: list, x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@memoized(maxsize=2)
def judged_queries(window: str = "test") -> tuple[Query, ...]:
    """Distinct queries sampled from one window's log and graded by judges.

    ``"train"``: days before :data:`SPLIT_DAY`; ``"test"``: from it on, before the launch (the
    launch is the monitoring cell's). Sampled by traffic, so head queries are likelier, and kept
    only if some video is relevant. Typos are judged by the intent behind them.
    """
    check_choice("window", window, ("train", "test"))
    rng = random.Random(WORLD["seed"] + (2 if window == "train" else 3))
    if window == "train":
        pool = [q for q in query_log() if q.day < SPLIT_DAY]
    else:
        pool = [q for q in query_log() if SPLIT_DAY <= q.day < LAUNCH_DAY]
    n = WORLD["judged_" + window]
    seen, out = set(), []
    for q in rng.sample(pool, len(pool)):
        if q.text in seen:
            continue
        seen.add(q.text)
        if relevant(q):
            out.append(q)
        if len(out) == n:
            break
    return tuple(out)


def grade(q: Query, v: Video) -> int:
    """The judges' grade, 0-3 (see the module docstring)."""
    if q.name is not None:
        tier = (2 if set(q.concepts) & set(v.concepts) else 1) if v.name == q.name else 0
    elif v.topic != q.topic:
        tier = 0
    else:
        tier = len(set(q.concepts) & set(v.concepts))
    return 3 if tier == 2 and v.quality >= 0.6 else tier


@memoized(maxsize=1)
def _by_topic() -> dict:
    out: dict = {}
    for v in catalog():
        out.setdefault(v.topic, []).append(v)
    return out


@memoized(maxsize=4096)
def grades(q: Query) -> dict:
    """video id -> grade (> 0) for every video available on the query's day."""
    # only a video of the query's topic can be relevant (names belong to one topic)
    return {v.id: g for v in _by_topic().get(q.topic, ())
            if v.upload_day <= q.day and (g := grade(q, v)) > 0}


def relevant(q: Query) -> set:
    """The videos judged relevant (grade >= 2): what recall counts."""
    return {i for i, g in grades(q).items() if g >= 2}


# --- retrieval ---------------------------------------------------------------------------------

class FieldIndex:
    """One BM25 index per field; a query's score is the field-weighted sum of its BM25 scores.

    Each term's contribution to each video is computed once at build time (an *impact*), so a
    query only reads the postings of its own terms: ``scores`` counts them in ``postings_read``.
    """

    def __init__(self, per_field: dict, weights: dict = FIELD_WEIGHTS):
        self.weights = dict(weights)
        self.impacts: dict[str, dict[int, float]] = {}
        self.field_impacts: dict[str, dict[str, dict[int, float]]] = {}
        for field in FIELDS:
            w = self.weights[field]
            bm25 = per_field[field]
            self.n_videos = bm25.n_docs
            own = self.field_impacts[field] = {}
            for term in bm25.postings:
                row = self.impacts.setdefault(term, {})
                own[term] = bm25.scores([term])
                for doc, score in own[term].items():
                    row[doc] = row.get(doc, 0.0) + w * score

    def scores(self, terms: dict) -> tuple[dict, int]:
        """``{video: score}`` for weighted terms ``{term: weight}``, and the postings read."""
        out: dict[int, float] = {}
        read = 0
        for term, weight in terms.items():
            row = self.impacts.get(term)
            if not row:
                continue
            read += len(row)
            for doc, s in row.items():
                out[doc] = out.get(doc, 0.0) + weight * s
        return out, read


@memoized(maxsize=1)
def field_index() -> FieldIndex:
    """The BM25 index over titles, descriptions and transcripts of the whole catalogue."""
    return FieldIndex(_field_bm25())


@memoized(maxsize=1)
def _field_bm25() -> dict:
    """One plain BM25 per field (unweighted), for the per-field ranking features."""
    return {f: BM25([tokenize(getattr(v, f)) for v in catalog()]) for f in FIELDS}


def _dims(word: str) -> dict:
    names = _names()
    if word in _WORD:
        topic, c, _ = _WORD[word]
        return {f"topic:{topic}": 0.6, f"concept:{topic}:{c}": 0.8}
    for topic, ns in names["by_topic"].items():
        if word in ns:
            return {f"topic:{topic}": 0.6, f"name:{topic}": 0.8}
    if word == names["launch"]:
        return {"topic:gaming": 0.6, "name:gaming": 0.8}
    if word in FILLERS or word in GENERIC:
        return {}
    return {f"noise:{zlib.crc32(word.encode()) % 64}": 1.0}   # an unknown word: hashed noise


def _normalize(vec: dict) -> dict:
    norm = math.sqrt(math.fsum(x * x for x in vec.values()))
    return {k: x / norm for k, x in vec.items()} if norm else {}


def embed_query(text: str) -> dict:
    """The stand-in text encoder: a unit vector (sparse dict) over concept, topic and name axes."""
    vec: dict = {}
    for word in tokenize(text):
        for k, x in _dims(word).items():
            vec[k] = vec.get(k, 0.0) + x
    return _normalize(vec)


@memoized(maxsize=1)
def video_vectors() -> tuple[dict, dict]:
    """The stand-in video encoder's vectors and their inverted lists ``axis -> [(video, x)]``.

    Text fields weigh 1 (title), 0.5 (description), 0.2 (transcript); the "visual" topic axis
    adds 1.0, as an encoder that sees the frames knows what kind of video it is.
    """
    vectors, postings = {}, {}
    for v in catalog():
        vec = {f"topic:{v.topic}": 1.0}
        for field, w in (("title", 1.0), ("description", 0.5), ("transcript", 0.2)):
            for word in tokenize(getattr(v, field)):
                for k, x in _dims(word).items():
                    vec[k] = vec.get(k, 0.0) + w * x
        vec = _normalize(vec)
        vectors[v.id] = vec
        for k, x in vec.items():
            postings.setdefault(k, []).append((v.id, x))
    return vectors, postings


@memoized(maxsize=4096)
def dense_search(text: str) -> tuple[dict, int]:
    """Cosine of the query with every video sharing an axis, and the vector entries read."""
    _, postings = video_vectors()
    out: dict[int, float] = {}
    read = 0
    for k, qx in embed_query(text).items():
        for doc, x in postings.get(k, ()):
            out[doc] = out.get(doc, 0.0) + qx * x
        read += len(postings.get(k, ()))
    return out, read


# --- query understanding ----------------------------------------------------------------------

def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance (insert, delete, replace cost 1), capped at ``limit``."""
    if not isinstance(a, str) or not isinstance(b, str):
        raise TypeError("a and b must be str")
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) >= limit:
            return limit
        prev = cur
    return min(prev[-1], limit)


@memoized(maxsize=4)
def vocabulary(until_day: float = SPLIT_DAY, min_count: int = 3) -> dict:
    """Word -> count over the query log before ``until_day``; words seen ``min_count`` times."""
    check_number("until_day", until_day)
    check_positive_int("min_count", min_count)
    counts: dict = {}
    for q in query_log():
        if q.day >= until_day:
            break
        for w in tokenize(q.text):
            counts[w] = counts.get(w, 0) + 1
    return {w: c for w, c in counts.items() if c >= min_count}


def correct_spelling(text: str, vocab: dict | None = None) -> str:
    """Replace each word the vocabulary lacks by its most frequent word within edit distance
    1 (words of 5 letters or fewer) or 2 (longer words); words of 3 letters or fewer stay."""
    vocab = vocabulary() if vocab is None else vocab
    if not isinstance(vocab, dict):
        raise TypeError(f"vocab must be a dict of word -> count, got {type(vocab).__name__}")
    out = []
    for w in tokenize(text):
        if w in vocab or len(w) <= 3:
            out.append(w)
            continue
        limit = 1 if len(w) <= 5 else 2
        best = None
        for cand, count in vocab.items():
            if abs(len(cand) - len(w)) <= limit and edit_distance(w, cand, limit + 1) <= limit:
                if best is None or (count, cand) > (best[1], best[0]):
                    best = (cand, count)
        out.append(best[0] if best else w)
    return " ".join(out)


def expand_synonyms(text: str, weight: float = 0.5) -> dict:
    """The query's words with weight 1, plus the other form of each concept word with ``weight``.

    The synonym table stands for pairs mined from query reformulations (users who type one word,
    then the other, and click the same video); here it is the world's own table.
    """
    weight = check_number("weight", weight)
    terms = {w: 1.0 for w in tokenize(text)}
    for w in list(terms):
        if w in _WORD:
            topic, c, f = _WORD[w]
            other = TOPICS[topic][c][1 - f]
            terms.setdefault(other, weight)
    return terms


@memoized(maxsize=8192)
def _corrected(text: str) -> str:
    return correct_spelling(text)


def understand(text: str, spell: bool = True, synonyms: bool = True, vocab: dict | None = None):
    """Query understanding: ``(corrected text, weighted BM25 terms)``."""
    if spell:
        text = _corrected(text) if vocab is None else correct_spelling(text, vocab)
    terms = expand_synonyms(text) if synonyms else {w: 1.0 for w in tokenize(text)}
    return text, terms


def _top(scores: dict, allowed_day: float, n: int) -> list[int]:
    late = _late_uploads()
    ranked = sorted(sorted(scores), key=scores.__getitem__, reverse=True)   # ties: smaller id
    if late and allowed_day < DAYS:
        ranked = [d for d in ranked if d not in late or late[d] <= allowed_day]
    return ranked[:n]


@memoized(maxsize=1)
def _late_uploads() -> dict:
    """The videos uploaded during the 90 days: the only ones a day filter can drop."""
    return {v.id: v.upload_day for v in catalog() if v.upload_day > 0}


def retrieve(text: str, method: str = "hybrid", day: float = DAYS, spell: bool = False,
             synonyms: bool = False, k: int = CANDIDATES, vocab: dict | None = None) -> list[int]:
    """The first stage: up to ``k`` video ids, best first, available on ``day``."""
    check_choice("method", method, METHODS)
    check_positive_int("k", k)
    return list(_retrieve(text, method, float(day), spell, synonyms, k,
                          None if vocab is None else tuple(sorted(vocab.items()))))


@memoized(maxsize=8192)
def _retrieve(text, method, day, spell, synonyms, k, vocab_items):
    vocab = None if vocab_items is None else dict(vocab_items)
    fixed, terms = understand(text, spell, synonyms, vocab)
    lists = []
    if method in ("bm25", "hybrid"):
        lists.append(_top(field_index().scores(terms)[0], day, POOL))
    if method in ("dense", "hybrid"):
        lists.append(_top(dense_search(fixed)[0], day, POOL))
    if method != "hybrid":
        return tuple(lists[0][:k])
    return tuple(d for d, _ in reciprocal_rank_fusion(lists, k=60.0, limit=k))


def ndcg10(ranked, q: Query) -> float:
    """nDCG@10 of a ranked list against the judges' grades."""
    return metrics.ndcg_at_k(list(ranked), grades(q), 10) if grades(q) else 0.0


def retrieval_metrics(qs, method: str = "hybrid", spell: bool = False, synonyms: bool = False,
                      k: int = CANDIDATES) -> dict:
    """Mean recall@k (of grade >= 2 videos) and nDCG@10 of the first stage, per query kind."""
    out: dict = {}
    for q in qs:
        ranked = retrieve(q.text, method, q.day, spell, synonyms, k)
        rel = relevant(q)
        r = len(rel & set(ranked)) / len(rel) if rel else 0.0
        for key in (q.kind, "all"):
            out.setdefault(key, []).append((r, ndcg10(ranked, q)))
    return {key: {"n": len(v), "recall": math.fsum(a for a, _ in v) / len(v),
                  "ndcg10": math.fsum(b for _, b in v) / len(v)} for key, v in out.items()}


# --- ranking -----------------------------------------------------------------------------------

@memoized(maxsize=4096)
def candidates(q: Query) -> tuple[int, ...]:
    """The production first stage: hybrid retrieval after spelling correction and synonyms."""
    return tuple(retrieve(q.text, "hybrid", q.day, spell=True, synonyms=True))


def features(q: Query, ids) -> list[list[float]]:
    """One row per candidate, columns :data:`FEATURE_NAMES`."""
    fixed = _corrected(q.text)
    terms = tokenize(fixed)
    index = field_index()
    per_field = {}
    for f in FIELDS:
        own, acc = index.field_impacts[f], {}
        for t in dict.fromkeys(terms):
            for d, x in own.get(t, {}).items():
                acc[d] = acc.get(d, 0.0) + x
        per_field[f] = acc
    dense, _ = dense_search(fixed)
    cat = catalog()
    rows = []
    for d in ids:
        v = cat[d]
        title = set(tokenize(v.title))
        rows.append([per_field["title"].get(d, 0.0), per_field["description"].get(d, 0.0),
                     per_field["transcript"].get(d, 0.0), dense.get(d, 0.0),
                     sum(w in title for w in terms) / len(terms), math.log1p(v.views),
                     v.like_rate, max(0.0, q.day - v.upload_day)])
    return rows


INCUMBENT_PRIOR = 0.0015   # the shipped ranker's hand-set weight on log(1 + views)
PRIOR_GRID = (0.0, 0.00025, 0.0005, 0.001, 0.0015, 0.003)


def incumbent_rank(q: Query, ids=None, prior: float = INCUMBENT_PRIOR) -> list[int]:
    """The hand-tuned production ranker: fusion rank, then a popularity prior.

    Score = ``1 / (60 + fusion rank) + prior * log(1 + views)``: the team set the weight by hand
    (:data:`INCUMBENT_PRIOR`) so that a popular video climbs a few places, never from the bottom
    to the top. The click log and the online test run under this shipped version.
    """
    prior = check_number("prior", prior)
    if prior < 0:
        raise ValueError(f"prior must be >= 0, got {prior}")
    ids = list(candidates(q) if ids is None else ids)
    cat = catalog()
    score = {d: 1.0 / (61 + r) + prior * math.log1p(cat[d].views) for r, d in enumerate(ids)}
    return sorted(ids, key=lambda d: -score[d])


@memoized(maxsize=1)
def tuned_prior() -> float:
    """The prior weight of :data:`PRIOR_GRID` with the best nDCG@10 on the judged training
    queries: the incumbent as a careful team would have tuned it (the strongest hand-made order)."""
    qs = judged_queries("train")
    score = {w: math.fsum(ndcg10(incumbent_rank(q, prior=w), q) for q in qs) for w in PRIOR_GRID}
    return max(PRIOR_GRID, key=lambda w: (score[w], -w))


def _training_rows(window: str = "train"):
    X, y, groups = [], [], []
    for q in judged_queries(window):
        ids = candidates(q)
        g = grades(q)
        for d, row in zip(ids, candidate_features(q)):
            X.append(list(row))
            y.append(g.get(d, 0))
            groups.append(q.text)
    return X, y, groups


class _Standardized:
    """A logistic regression on standardised columns: the pointwise baseline.

    ``repeat`` > 1 fits on every row ``repeat`` times, with ``y`` holding ``repeat`` labels per
    row (the graded model's thresholds); the rows are standardised once and shared.
    """

    def __init__(self, X, y, repeat: int = 1):
        n, dim = len(X), len(X[0])
        # about a third of the rows are positives; two epochs are enough for eight weights
        self.mean = [math.fsum(r[c] for r in X) / n for c in range(dim)]
        self.scale = [math.sqrt(math.fsum((r[c] - self.mean[c]) ** 2 for r in X) / n) or 1.0
                      for c in range(dim)]
        # dict rows take the library's fast validation path
        rows = [{j: x for j, x in enumerate(r) if x != 0.0} for r in self._z(X)]
        self.model = LogisticRegression(learning_rate=0.05, l2=1e-4, epochs=2, seed=0).fit(
            [r for r in rows for _ in range(repeat)], y)

    def _z(self, X):
        return [[(v - m) / s for v, m, s in zip(r, self.mean, self.scale)] for r in X]

    def decision_function(self, X):
        return self.model.decision_function(self._z(X))


def trained_rankers() -> dict:
    """``{"pointwise": ..., "graded pointwise": ..., "pairwise": ...}`` trained on the judged
    training queries' grades.

    Pointwise: logistic regression on "grade >= 2" for each candidate on its own. Graded
    pointwise: the same model on every grade threshold (see :func:`graded_pointwise_ranker`).
    Pairwise: RankNet on pairs of candidates of the same query with different grades (30 per
    query).
    """
    return {"pointwise": pointwise_ranker(), "graded pointwise": graded_pointwise_ranker(),
            "pairwise": pairwise_ranker()}


@memoized(maxsize=1)
def pointwise_ranker() -> _Standardized:
    """Logistic regression on "grade >= 2", standardised features (memoized)."""
    X, y, _ = _training_rows("train")
    return _Standardized(X, [int(g >= 2) for g in y])


@memoized(maxsize=1)
def graded_pointwise_ranker() -> _Standardized:
    """Logistic regression that sees the whole grade: each candidate appears once per threshold
    (grade >= 1, >= 2, >= 3), so its score ranks by the expected grade (memoized). The fair
    pointwise rival of the pairwise model: same features, same labels, a different loss."""
    X, y, _ = _training_rows("train")
    return _Standardized(X, [int(g >= t) for g in y for t in (1, 2, 3)], repeat=3)


@memoized(maxsize=1)
def pairwise_ranker() -> PairwiseRanker:
    """The linear RankNet on graded pairs, 30 per training query (memoized)."""
    X, y, groups = _training_rows("train")
    return PairwiseRanker(learning_rate=0.05, epochs=3, seed=0).fit(X, y, groups, max_pairs_per_group=30)


@memoized(maxsize=4096)
def candidate_features(q: Query) -> tuple:
    """:func:`features` of the query's own candidates (memoized: every ranker reads them)."""
    return tuple(tuple(row) for row in features(q, candidates(q)))


def rank_with(model, q: Query, ids=None) -> list[int]:
    """The candidates re-ordered by a trained model's scores."""
    if ids is None:
        ids, rows = list(candidates(q)), [list(r) for r in candidate_features(q)]
    else:
        ids = list(ids)
        rows = features(q, ids)
    s = model.decision_function(rows)
    return [d for _, d in sorted(zip(s, ids), key=lambda p: (-p[0], p[1]))]


# --- clicks ------------------------------------------------------------------------------------

@memoized(maxsize=1)
def click_log() -> tuple[tuple, ...]:
    """Sessions of the training window on the judged training queries, under the incumbent.

    Each session is ``(query index, shown ids, clicked flags, randomized)``: the incumbent's top
    10, shuffled in a :data:`WORLD` ``randomized_share`` of sessions (the slice that measures
    position bias). A user examines position ``i`` with :data:`PROPENSITY` ``[i]`` and clicks an
    examined video with :data:`ATTRACT` ``[grade]``. Queries are drawn by their traffic.
    """
    rng = random.Random(WORLD["seed"] + 4)
    qs = judged_queries("train")
    traffic: dict = {}
    for q in query_log():
        if q.day < SPLIT_DAY:
            traffic[q.text] = traffic.get(q.text, 0) + 1
    weights = [traffic.get(q.text, 1) ** 0.5 for q in qs]    # flatter than traffic: more queries
    shown = [incumbent_rank(q)[:10] for q in qs]
    out = []
    for _ in range(WORLD["sessions"]):
        i = rng.choices(range(len(qs)), weights)[0]
        ids = list(shown[i])
        randomized = rng.random() < WORLD["randomized_share"]
        if randomized:
            rng.shuffle(ids)
        g = grades(qs[i])
        clicks = tuple(rng.random() < PROPENSITY[p] * ATTRACT[g.get(d, 0)] for p, d in enumerate(ids))
        out.append((i, tuple(ids), clicks, randomized))
    return tuple(out)


def estimate_propensities(log=None) -> list[float]:
    """P(examine position i) / P(examine position 1), from the randomized sessions only.

    In a shuffled list every position holds the same mix of videos, so the click rate at a
    position differs from the first only by how often users look there. A power law
    ``(1 / position) ** eta`` is fitted to the ten ratios (least squares on logs).
    """
    log = click_log() if log is None else log
    clicks, shown = [0] * 10, [0] * 10
    for _, ids, cl, randomized in log:
        if randomized:
            for p, c in enumerate(cl):
                shown[p] += 1
                clicks[p] += c
    if not shown[0] or not clicks[0]:
        raise ValueError("log must hold randomized sessions with clicks at position 1")
    rates = [c / n for c, n in zip(clicks, shown)]
    xs = [math.log(p + 1) for p in range(10) if rates[p] > 0]
    ys = [math.log(rates[p] / rates[0]) for p in range(10) if rates[p] > 0]
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    eta = -math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.fsum((x - mx) ** 2 for x in xs)
    return [(1.0 / (p + 1)) ** eta for p in range(10)]


def click_labels(propensities=None) -> dict:
    """Per (query index, video): the naive click-through rate and the IPW label.

    Naive: clicks / impressions, from the non-randomized sessions. IPW: the sum over sessions of
    ``click / propensity(position)`` divided by the query's sessions: an unbiased estimate of
    ``ATTRACT[grade]`` for a video the incumbent always shows. Returns ``{"naive": {...},
    "ipw": {...}, "position": {...}}`` keyed by ``(query index, video id)``; ``position`` is the
    video's usual (non-randomized) position.
    """
    prop = estimate_propensities() if propensities is None else list(propensities)
    imps, clicks, ipw, sessions, pos = {}, {}, {}, {}, {}
    for i, ids, cl, randomized in click_log():
        if randomized:
            continue
        sessions[i] = sessions.get(i, 0) + 1
        for p, (d, c) in enumerate(zip(ids, cl)):
            key = (i, d)
            imps[key] = imps.get(key, 0) + 1
            clicks[key] = clicks.get(key, 0) + c
            ipw[key] = ipw.get(key, 0.0) + c / prop[p]
            pos[key] = p
    return {"naive": {k: clicks[k] / imps[k] for k in imps},
            "ipw": {k: ipw[k] / sessions[k[0]] for k in ipw}, "position": pos}


@memoized(maxsize=2)
def click_trained_ranker(label: str = "ipw") -> PairwiseRanker:
    """A pairwise ranker trained on click labels (``"naive"`` or ``"ipw"``) instead of grades.

    Rows are the shown videos of each judged training query with sessions; pairs are the videos
    of one query with different labels (unshown candidates get no label and no pair).
    """
    check_choice("label", label, ("naive", "ipw"))
    labels = click_labels()[label]
    qs = judged_queries("train")
    X, y, groups = [], [], []
    for i, q in enumerate(qs):
        rows = [(d, row) for d, row in zip(candidates(q), candidate_features(q)) if (i, d) in labels]
        if len(rows) < 2:
            continue
        for d, row in rows:
            X.append(list(row))
            y.append(labels[(i, d)])
            groups.append(i)
    return PairwiseRanker(learning_rate=0.05, epochs=3, seed=0).fit(X, y, groups, max_pairs_per_group=30)


# --- online test ------------------------------------------------------------------------------

def success_probability(ranked, q: Query, min_grade: int = 2) -> float:
    """P(a session clicks at least one video of grade >= ``min_grade``) for a shown top 10.

    The A/B test's metric. With ``min_grade=3``, "satisfied searches": a click on a relevant,
    good video, which production approximates by a click followed by a long watch.
    """
    g = grades(q)
    p_none = 1.0
    for p, d in enumerate(list(ranked)[:10]):
        if g.get(d, 0) >= min_grade:
            p_none *= 1.0 - PROPENSITY[p] * ATTRACT[g[d]]
    return 1.0 - p_none


def interleaving_sessions(lists_a: list, lists_b: list, qs, n_sessions: int, seed: int = 0) -> dict:
    """Team-draft interleaved sessions of two rankers' top 10s; clicks from the click model.

    ``lists_a[i]`` and ``lists_b[i]`` are the two rankings of ``qs[i]``; each session draws a
    query at random. Returns the sessions won by A, by B, and tied (no click or equal credit).
    """
    from mlsd.experiments.interleaving import interleaving_winner, team_draft_interleave

    n_sessions = check_positive_int("n_sessions", n_sessions)
    if not (len(lists_a) == len(lists_b) == len(qs)) or not qs:
        raise ValueError("lists_a, lists_b and qs must be non-empty and of the same length")
    rng = random.Random(seed)
    won = {"A": 0, "B": 0, None: 0}
    for _ in range(n_sessions):
        i = rng.randrange(len(qs))
        g = grades(qs[i])
        items, teams = team_draft_interleave(lists_a[i][:10], lists_b[i][:10], rng, length=10)
        clicked = [rng.random() < PROPENSITY[p] * ATTRACT[g.get(d, 0)] for p, d in enumerate(items)]
        won[interleaving_winner(teams, clicked)] += 1
    return {"a": won["A"], "b": won["B"], "ties": won[None]}


# --- serving -----------------------------------------------------------------------------------

def serve(text: str, day: float = DAYS, k: int = 10, model=None) -> dict:
    """One query through every stage, with the milliseconds and the counted work of each.

    Stages (:data:`SERVE_STAGES`): query understanding, BM25, dense search, fusion, features,
    the pairwise ranker. Returns ``{"query", "results", "ms", "work"}``.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be a non-empty query string, got {text!r}")
    day = check_number("day", day)
    k = check_positive_int("k", k)
    model = pairwise_ranker() if model is None else model
    ms, work = {}, {}
    t0 = time.perf_counter()
    fixed = correct_spelling(text)              # not memoized: serving pays for it every time
    terms = expand_synonyms(fixed)
    t1 = time.perf_counter()
    bm, work["postings read"] = field_index().scores(terms)
    bm_top = _top(bm, day, POOL)
    t2 = time.perf_counter()
    dn, work["vector entries read"] = dense_search(fixed)
    dn_top = _top(dn, day, POOL)
    t3 = time.perf_counter()
    fused = [d for d, _ in reciprocal_rank_fusion([bm_top, dn_top], k=60.0, limit=CANDIDATES)]
    t4 = time.perf_counter()
    q = Query(-1, day, fixed, "served", "", (), None)
    rows = features(q, fused) if fused else []
    t5 = time.perf_counter()
    scores = model.decision_function(rows) if rows else []
    ranked = [d for _, d in sorted(zip(scores, fused), key=lambda p: (-p[0], p[1]))][:k]
    t6 = time.perf_counter()
    for stage, (a, b) in zip(SERVE_STAGES, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6))):
        ms[stage] = (b - a) * 1000.0
    work["candidates scored"] = len(fused)
    return {"query": fixed, "results": ranked, "ms": ms, "work": work}
