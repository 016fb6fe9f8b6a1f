"""Retrieval for an LLM assistant end to end: chunking, hybrid retrieval, re-ranking, grounding.

The page ``docs/case-studies/rag-assistant.md`` runs this system in its cells. Every builder is
memoized with :func:`casestudies.memo.memoized`, so the first cell that needs the corpus or an
index builds it and every later cell on the page reuses it.

**The world** (:data:`WORLD`). A company of a few thousand employees has an internal assistant
over its own documents. The corpus is generated from known *facts*, so every answer has a known
span:

- ``travel`` policies: a nightly hotel limit and a daily meal allowance for each of 30 cities;
- ``leave`` policies: weeks of parental leave and of resignation notice for each of 12 countries;
- ``runbook`` pages: one per service, each with 12 error codes such as ``LGR-4471`` and the
  action that fixes them;
- ``product`` pages: seats, storage and API rate limit of each of 8 plans;
- ``notes``: meeting notes and announcements that mention the same cities, services and plans
  but answer nothing.

Each fact is one sentence written in the documents' own words ("the nightly hotel limit in
berlin is 180 euros including taxes"), between filler sentences that mention the same entities.
Some facts change value on a day of the 90 (a new version of the document): an answer is right
only if it gives the value in force when the question was asked.

**Queries** (:func:`queries`, about 12 a day from 2,000 employees) come in four kinds: ``keyword``
(the documents' words), ``paraphrase`` (synonyms the documents never use: "accommodation cap
berlin"), ``identifier`` (an error code alone: "seeing lgr-4471 what now") and ``unanswerable``
(a city, plan or code the corpus does not cover; the assistant must say it does not know).
When a fact changes, a few more questions about it follow in the next days, as they do after a
policy announcement.

**Stand-ins, said plainly.** No neural network runs in the page.

- The *dense encoder* (:func:`embed`) maps each word through a synonym table
  (:data:`SYNONYMS`) to a concept, turns every digit group into one shared ``<num>`` concept,
  and hashes the concepts into a :data:`DIM`-dimensional unit vector. It has the two properties
  that matter here: paraphrases land near each other, and rare identifiers blur (``lgr-4471``
  and ``lgr-9120`` become the same vector).
- The *re-ranker* (:func:`rerank`) reads the query and each sentence of a candidate chunk
  together, as a cross-encoder does: the IDF-weighted share of the query's concepts that one
  sentence covers, with exact identifiers counted on their own.
- The *generator* (:func:`generate`) is extractive: it states the claim of the best-scoring
  complete sentence in the prompt, *about the entity the question names* — so when retrieval
  brings the wrong city it fluently claims that city's value for the asked one, the failure a
  grounding check exists to catch. :func:`grounded` checks a claim against the retrieved
  sentences; it reads the generator's metadata, so it is exact (a best case), where production
  would use an entailment model that errs both ways.

**The system.** :func:`chunk_corpus` cuts the documents into chunks (fixed windows with optional
overlap, or whole sentences packed up to a size). :class:`Index` holds BM25
(:class:`mlsd.data.search.BM25`) and the hashed dense vectors over the chunks; :func:`retrieve`
returns BM25, dense, or hybrid lists fused with :func:`mlsd.retrieval.fusion.reciprocal_rank_fusion`,
optionally re-ranked. :func:`answer` runs retrieval, generation and the grounding check, and
abstains below a score threshold; :func:`serve` does the same for one query with the time and
the counted work of each stage.

**Time windows.** Queries of days 0-60 (:data:`DEV_END`) tune the chunking and the abstention
threshold (the fusion constant stays at 60); days 60-90 test them. Values in chunks come from the
document version the index holds (:func:`value_as_of`): a stale index serves an old value until
it is rebuilt.
"""

from __future__ import annotations

import math
import random
import re
import time
import zlib
from dataclasses import dataclass

from casestudies.memo import memoized
from mlsd import metrics
from mlsd.data.search import BM25
from mlsd.retrieval.fusion import reciprocal_rank_fusion
from mlsd.validate import check_choice, check_number, check_positive_int

__all__ = ["WORLD", "DEV_END", "LAUNCH_DAY", "LAUNCH_PLAN", "PLANS", "N_NOTES", "DIM", "KINDS", "METHODS", "STRATEGIES", "SYNONYMS", "STOPWORDS",
           "SERVE_STAGES", "WORDS_TO_TOKENS", "Sentence", "Fact", "Query", "Chunk", "Corpus",
           "Index", "tokenize", "concepts", "embed", "corpus", "queries", "launch_queries",
           "value_as_of", "chunk_corpus", "index", "retrieve", "rerank", "generate", "grounded",
           "answer", "outcome", "abstains", "run_queries", "retrieval_metrics", "serve"]

WORLD = dict(seed=5, days=90, queries_per_day=12, employees=2_000, n_cities=30, n_countries=12,
             n_services=10, codes_per_service=12, n_plans=8, update_share=0.25, asks_after_change=4)
DEV_END = 60.0              # queries before this day tune the system; days 60-90 test it
LAUNCH_DAY = 75.0           # a new plan launches; its page lives where the indexer does not look
N_NOTES = 150              # meeting notes and announcements: they mention entities, answer nothing
DIM = 512                   # width of the hashed dense vectors
WORDS_TO_TOKENS = 1.3       # model tokens per word of English text (an assumption)
KINDS = ("keyword", "paraphrase", "identifier", "unanswerable")
METHODS = ("bm25", "dense", "hybrid")
STRATEGIES = ("fixed", "sentences")

STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "by",
    "at", "from", "as", "it", "this", "that", "i", "we", "you", "my", "our", "do", "does", "what",
    "how", "when", "can", "should", "there", "if", "now", "any", "about", "per", "up", "into",
    "after", "before", "every", "all", "get", "its", "who", "which", "much", "many", "long",
    "me", "am"))

# Dense stand-in: words that mean the same collapse to one concept (a paraphrase lands near the
# document's wording). BM25 sees the raw words.
SYNONYMS = {
    "lodging": "hotel", "accommodation": "hotel", "room": "hotel", "stay": "hotel",
    "staying": "hotel", "nightly": "hotel", "night": "hotel",
    "cap": "limit", "maximum": "limit", "max": "limit", "ceiling": "limit",
    "food": "meal", "dinner": "meal", "dining": "meal", "lunch": "meal", "meals": "meal",
    "diem": "allowance", "expense": "allowance", "daily": "allowance",
    "baby": "parental", "maternity": "parental", "paternity": "parental", "newborn": "parental",
    "bonding": "parental", "break": "leave", "off": "leave",
    "quitting": "resignation", "quit": "resignation", "resign": "resignation",
    "warning": "notice", "heads": "notice",
    "people": "seats", "users": "seats", "headcount": "seats", "user": "seats", "seat": "seats",
    "disk": "storage", "space": "storage", "data": "storage", "upload": "storage",
    "gigabytes": "storage", "files": "storage", "stores": "storage",
    "throttle": "rate", "calls": "requests", "call": "requests", "blocks": "limit",
    "allowed": "allows", "allow": "allows", "minute": "minute", "weeks": "week",
    "fix": "resolve", "fixes": "resolve", "resolve": "resolve", "repair": "resolve",
    "raises": "error", "alert": "error", "seeing": "error", "code": "error",
}

CITIES = ("berlin", "paris", "madrid", "lisbon", "rome", "vienna", "prague", "warsaw", "dublin",
          "london", "amsterdam", "brussels", "zurich", "munich", "milan", "barcelona", "athens",
          "budapest", "copenhagen", "stockholm", "helsinki", "riga", "tallinn", "vilnius",
          "sofia", "bucharest", "zagreb", "belgrade", "krakow", "porto")
UNKNOWN_CITIES = ("oslo", "reykjavik", "valletta", "bratislava", "ljubljana", "sarajevo")
COUNTRIES = ("germany", "france", "spain", "portugal", "italy", "austria", "czechia", "poland",
             "ireland", "netherlands", "belgium", "sweden")
UNKNOWN_COUNTRIES = ("norway", "iceland", "malta", "slovakia")
SERVICES = (("ledger", "lgr"), ("checkout", "chk"), ("payouts", "pyt"), ("search", "srh"),
            ("identity", "idn"), ("billing", "bil"), ("catalog", "ctl"), ("notifications", "ntf"),
            ("reporting", "rpt"), ("gateway", "gwy"))
PLANS = ("starter", "team", "growth", "business", "scale", "premier", "enterprise", "atlas")
UNKNOWN_PLANS = ("orbit", "summit", "vertex")
LAUNCH_PLAN = "nova"
ACTIONS = ("restart the worker pool", "drain the retry queue", "rotate the service credentials",
           "fail over to the standby database", "roll back the last deploy",
           "clear the feature cache", "raise the connection pool limit",
           "page the owning team on call", "replay the dead letter topic",
           "renew the tls certificate", "scale the consumer group out",
           "reindex the affected shard")

# attribute -> (family, document sentence, keyword queries, paraphrase queries, value range)
ATTRIBUTES = {
    "hotel": ("travel", "the nightly hotel limit in {e} is {v} euros including taxes",
              ("hotel limit {e}", "{e} hotel limit per night"),
              ("accommodation cap {e}", "how much can i pay for lodging in {e}",
               "maximum room price when staying in {e}"), (110, 290, 10)),
    "meal": ("travel", "the daily meal allowance in {e} is {v} euros",
             ("meal allowance {e}", "{e} daily meal allowance"),
             ("food per diem {e}", "how much can i expense for dinner in {e}",
              "dining budget {e} trip"), (30, 80, 5)),
    "parental": ("leave", "employees in {e} receive {v} weeks of paid parental leave",
                 ("parental leave weeks {e}", "paid parental leave {e}"),
                 ("how long is baby bonding time off in {e}", "maternity break length {e}",
                  "newborn time off {e}"), (6, 30, 2)),
    "notice": ("leave", "the resignation notice period in {e} is {v} weeks",
               ("resignation notice period {e}", "notice period {e}"),
               ("how much warning before quitting in {e}", "heads up time to resign {e}"),
               (2, 14, 1)),
    "seats": ("product", "the {e} plan includes {v} user seats",
              ("{e} plan user seats", "seats included {e} plan"),
              ("how many people can use {e}", "headcount allowed on {e} subscription"),
              (5, 500, 5)),
    "storage": ("product", "the {e} plan stores up to {v} gigabytes of files",
                ("{e} plan gigabytes of files", "{e} storage gigabytes"),
                ("disk space on {e}", "how much data can i upload with {e}"), (10, 2000, 10)),
    "rate": ("product", "the {e} plan allows {v} api requests per minute",
             ("{e} api requests per minute", "api requests {e} plan"),
             ("throttle threshold {e}", "how many calls per minute before {e} blocks me"),
             (60, 6000, 60)),
    "code": ("runbook", "if {s} raises {e} {v} and note it in the incident channel",
             (), (), None),
}
_IDENTIFIER_QUERIES = ("seeing {e} what now", "{e} alert", "how to fix {e}", "{e}")
_FILLER = (
    "this page is reviewed every quarter by the owning team",
    "questions about this page go to the internal help channel",
    "older versions of this page are kept in the archive for audits",
    "travellers to {c} should book flights through the travel portal",
    "the {c} office is open on weekdays and hosts visitors on request",
    "our team in {c} runs the quarterly planning offsite",
    "staff in {n} are paid through the regional payroll provider",
    "holidays in {n} follow the national calendar",
    "{s} deploys go out every tuesday after the change review",
    "the {s} dashboard shows latency and error counts per region",
    "the {p} plan is sold on annual contracts with monthly billing",
    "customers on the {p} plan get support by email",
    "escalate to the incident commander when customers are affected",
    "record every manual step in the incident timeline",
)
_NOTES = (
    "notes from the {c} offsite: the {p} plan roadmap and the {s} migration were discussed",
    "announcement: the {s} team moves to the {c} office next month",
    "reminder: expense reports from {c} and {n} trips are due on friday",
    "the {p} plan launch review covered pricing in {n}",
    "action items: update the {s} runbook and the {c} travel page",
    "welcome to the new hires in {c} and {n}",
)

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")


def tokenize(text: str) -> list[str]:
    """Lower-cased words; identifiers such as ``lgr-4471`` stay one token; stop words dropped."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


def concepts(tokens: list[str]) -> list[str]:
    """The dense stand-in's view of tokens: synonyms collapsed, digit groups blurred to ``<num>``.

    ``lgr-4471`` becomes ``lgr`` and ``<num>``: the encoder keeps the letters of an identifier
    and loses the number that makes it unique.
    """
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of tokens (use tokenize), not a str")
    out = []
    for t in tokens:
        for piece in t.split("-"):
            if _DIGITS.fullmatch(piece):
                out.append("<num>")
            elif piece:
                out.append(SYNONYMS.get(piece, piece))
    return out


def _text(words) -> str:
    """A chunk's or sentence's words as text, without the ``{v}`` slot of the fact's value."""
    return " ".join(w for w in words if w != "{v}")


def _bucket(concept: str) -> tuple[int, float]:
    h = zlib.crc32(concept.encode())
    return h % DIM, (1.0 if (h >> 16) & 1 else -1.0)


def embed(tokens: list[str]) -> dict[int, float]:
    """The dense stand-in encoder: a unit vector of :data:`DIM` hashed concept counts (sparse dict).

    Counts are square-rooted so a repeated word does not dominate; the vector is L2-normalised,
    so the inner product of two embeddings is their cosine.
    """
    return _embed_concepts(concepts(tokens))


def _embed_concepts(cons: list[str]) -> dict[int, float]:
    counts: dict[int, float] = {}
    for c in cons:
        d, sign = _bucket(c)
        counts[d] = counts.get(d, 0.0) + sign
    vec = {d: math.copysign(math.sqrt(abs(v)), v) for d, v in counts.items() if v}
    norm = math.sqrt(math.fsum(v * v for v in vec.values()))
    return {d: v / norm for d, v in vec.items()} if norm else {}


# --------------------------------------------------------------------------- the world

@dataclass(frozen=True)
class Fact:
    """One answerable fact: ``attribute`` of ``entity``; ``values`` is ``((day, value), ...)``."""
    id: int
    doc: int
    entity: str
    attribute: str
    values: tuple


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: its words (``{v}`` where the fact's value goes) and fact id."""
    doc: int
    words: tuple
    fact: int | None


@dataclass(frozen=True)
class Query:
    """A question asked on ``day`` by ``user``; ``fact`` is ``None`` when the corpus cannot answer."""
    id: int
    day: float
    user: int
    kind: str
    text: str
    fact: int | None
    entity: str
    attribute: str


@dataclass(frozen=True)
class Corpus:
    """Documents as sentences, and the facts they state."""
    titles: tuple
    families: tuple
    sentences: tuple          # per document, a tuple of Sentence
    facts: tuple

    def n_words(self) -> int:
        return sum(len(s.words) for doc in self.sentences for s in doc)


def _value(rng: random.Random, spec: tuple) -> int:
    low, high, step = spec
    return low + step * rng.randrange((high - low) // step + 1)


def _code(rng: random.Random, prefix: str, used: set) -> str:
    while True:
        code = f"{prefix}-{rng.randrange(1000, 10000)}"
        if code not in used:
            used.add(code)
            return code


def _fill(rng: random.Random, template: str) -> str:
    return template.format(c=rng.choice(CITIES), n=rng.choice(COUNTRIES),
                           s=rng.choice(SERVICES)[0], p=rng.choice(PLANS))


@memoized(maxsize=1)
def corpus() -> Corpus:
    """The documents and their facts; seeded, so every run sees the same corpus."""
    rng = random.Random(WORLD["seed"])
    titles, families, docs, facts = [], [], [], []
    used_codes: set = set()

    def add_doc(title: str, family: str, items: list) -> None:
        """``items``: (entity, attribute, first value, sentence template) per fact."""
        doc = len(titles)
        titles.append(title)
        families.append(family)
        sentences = []
        for entity, attribute, value, template in items:
            for _ in range(rng.randint(2, 5)):
                sentences.append(Sentence(doc, tuple(_fill(rng, rng.choice(_FILLER)).split()), None))
            values = [(0.0, value)]
            if rng.random() < WORLD["update_share"] and attribute != "code":
                day = round(rng.uniform(10.0, WORLD["days"] - 5.0), 3)
                spec = ATTRIBUTES[attribute][4]
                new = value
                while new == value:
                    new = _value(rng, spec)
                values.append((day, new))
            fact = Fact(len(facts), doc, entity, attribute, tuple(values))
            facts.append(fact)
            words = template.format(e=entity, v="{v}", s="{s}").split()
            sentences.append(Sentence(doc, tuple(words), fact.id))
        for _ in range(rng.randint(1, 2)):
            sentences.append(Sentence(doc, tuple(_fill(rng, rng.choice(_FILLER)).split()), None))
        docs.append(tuple(sentences))

    cities = CITIES[:WORLD["n_cities"]]
    for region in range(3):                                   # three regional travel policies
        part = cities[region::3]
        items = [(c, a, _value(rng, ATTRIBUTES[a][4]), ATTRIBUTES[a][1])
                 for c in part for a in ("hotel", "meal")]
        rng.shuffle(items)
        add_doc(f"travel policy, region {region + 1}", "travel", items)
    countries = COUNTRIES[:WORLD["n_countries"]]
    for half in range(2):
        items = [(n, a, _value(rng, ATTRIBUTES[a][4]), ATTRIBUTES[a][1])
                 for n in countries[half::2] for a in ("parental", "notice")]
        rng.shuffle(items)
        add_doc(f"leave policy, part {half + 1}", "leave", items)
    for service, prefix in SERVICES[:WORLD["n_services"]]:
        template = ATTRIBUTES["code"][1].replace("{s}", service)
        items = [(_code(rng, prefix, used_codes), "code", rng.choice(ACTIONS), template)
                 for _ in range(WORLD["codes_per_service"])]
        add_doc(f"{service} runbook", "runbook", items)
    for plan in PLANS[:WORLD["n_plans"]]:
        items = [(plan, a, _value(rng, ATTRIBUTES[a][4]), ATTRIBUTES[a][1])
                 for a in ("seats", "storage", "rate")]
        add_doc(f"{plan} plan", "product", items)
    for i in range(N_NOTES):                                  # notes and announcements
        sentences = [Sentence(len(titles), tuple(_fill(rng, rng.choice(_NOTES + _FILLER)).split()),
                              None) for _ in range(rng.randint(4, 12))]
        titles.append(f"notes {i + 1}")
        families.append("notes")
        docs.append(tuple(sentences))
    return Corpus(tuple(titles), tuple(families), tuple(docs), tuple(facts))


def value_as_of(fact: Fact, day: float):
    """The fact's value in the document version in force on ``day``."""
    if not isinstance(fact, Fact):
        raise TypeError(f"fact must be a Fact, got {type(fact).__name__}")
    day = check_number("day", day)
    value = fact.values[0][1]
    for start, v in fact.values:
        if start <= day:
            value = v
    return value


def _ask(rng: random.Random, qid: int, day: float, kind: str, facts: tuple) -> Query:
    user = rng.randrange(WORLD["employees"])
    if kind == "unanswerable":
        u = rng.random()
        if u < 0.35:
            entity, attribute = rng.choice(UNKNOWN_CITIES), rng.choice(("hotel", "meal"))
        elif u < 0.55:
            entity, attribute = rng.choice(UNKNOWN_COUNTRIES), rng.choice(("parental", "notice"))
        elif u < 0.75:
            entity, attribute = rng.choice(UNKNOWN_PLANS), rng.choice(("seats", "storage", "rate"))
        else:
            prefix = rng.choice(SERVICES)[1]
            known = {f.entity for f in facts}
            entity = f"{prefix}-{rng.randrange(1000, 10000)}"
            while entity in known:
                entity = f"{prefix}-{rng.randrange(1000, 10000)}"
            return Query(qid, day, user, kind, rng.choice(_IDENTIFIER_QUERIES).format(e=entity),
                         None, entity, "code")
        _, _, keyword, paraphrase, _ = ATTRIBUTES[attribute]
        text = rng.choice(keyword + paraphrase).format(e=entity)
        return Query(qid, day, user, kind, text, None, entity, attribute)
    pool = [f for f in facts if (f.attribute == "code") == (kind == "identifier")]
    fact = rng.choice(pool)
    if kind == "identifier":
        text = rng.choice(_IDENTIFIER_QUERIES).format(e=fact.entity)
    else:
        _, _, keyword, paraphrase, _ = ATTRIBUTES[fact.attribute]
        text = rng.choice(keyword if kind == "keyword" else paraphrase).format(e=fact.entity)
    return Query(qid, day, user, kind, text, fact.id, fact.entity, fact.attribute)


@memoized(maxsize=1)
def queries() -> tuple[Query, ...]:
    """Every question of the 90 days, in time order (seeded)."""
    rng = random.Random(WORLD["seed"] + 1)
    facts = corpus().facts
    out: list[Query] = []
    mix = (("keyword", 0.25), ("paraphrase", 0.35), ("identifier", 0.25), ("unanswerable", 0.15))
    for day in range(WORLD["days"]):
        n = WORLD["queries_per_day"] + rng.randint(-3, 3)
        for t in sorted(day + rng.random() for _ in range(n)):
            u, kind = rng.random(), mix[-1][0]
            for name, share in mix:
                if u < share:
                    kind = name
                    break
                u -= share
            out.append(_ask(rng, len(out), t, kind, facts))
    # A changed policy is announced, and people ask about it in the days that follow.
    for fact in facts:
        for start, _ in fact.values[1:]:
            for _ in range(WORLD["asks_after_change"]):
                day = start + rng.expovariate(1 / 1.5)
                if day < WORLD["days"]:
                    kind = "keyword" if rng.random() < 0.5 else "paraphrase"
                    _, _, keyword, paraphrase, _ = ATTRIBUTES[fact.attribute]
                    text = rng.choice(keyword if kind == "keyword" else paraphrase)
                    out.append(Query(-1, day, rng.randrange(WORLD["employees"]), kind,
                                     text.format(e=fact.entity), fact.id, fact.entity,
                                     fact.attribute))
    out.sort(key=lambda q: q.day)
    return tuple(Query(i, q.day, q.user, q.kind, q.text, q.fact, q.entity, q.attribute)
                 for i, q in enumerate(out))


@memoized(maxsize=1)
def launch_queries() -> tuple[Query, ...]:
    """The same stream plus questions about the plan launched on day 75 (its page is not indexed).

    From :data:`LAUNCH_DAY` on, about one question in four asks about the ``nova`` plan. The page
    exists, but in a space the indexer does not crawl, so for the assistant they are unanswerable.
    """
    rng = random.Random(WORLD["seed"] + 2)
    base = list(queries())
    extra = []
    day = LAUNCH_DAY
    while True:
        day += rng.expovariate(4.0)
        if day >= WORLD["days"]:
            break
        attribute = rng.choice(("seats", "storage", "rate"))
        _, _, keyword, paraphrase, _ = ATTRIBUTES[attribute]
        extra.append((day, rng.choice(keyword + paraphrase).format(e=LAUNCH_PLAN), attribute))
    merged = sorted([(q.day, 0, q) for q in base] + [(d, 1, x) for d, *x in extra],
                    key=lambda row: row[0])
    out = []
    for i, (day, is_new, q) in enumerate(merged):
        if is_new:
            text, attribute = q
            out.append(Query(i, day, rng.randrange(WORLD["employees"]), "launch", text, None,
                             LAUNCH_PLAN, attribute))
        else:
            out.append(Query(i, q.day, q.user, q.kind, q.text, q.fact, q.entity, q.attribute))
    return tuple(out)


# --------------------------------------------------------------------------- chunks and index

@dataclass(frozen=True)
class Chunk:
    """A piece of one document: ``words`` (values as ``{v}``) and the sentences it holds whole."""
    id: int
    doc: int
    start: int
    words: tuple
    whole: tuple              # ids (doc, sentence index) of the sentences entirely inside


def chunk_corpus(size: int = 64, overlap: int = 0, strategy: str = "sentences") -> tuple[Chunk, ...]:
    """Cut every document into chunks of at most ``size`` words.

    ``fixed``: windows of ``size`` words every ``size - overlap`` words, blind to sentences.
    ``sentences``: whole sentences packed until the next one would pass ``size`` (``overlap``
    must be 0); a sentence longer than ``size`` gets a chunk of its own.
    """
    size = check_positive_int("size", size)
    if isinstance(overlap, bool) or not isinstance(overlap, int):
        raise TypeError(f"overlap must be an int, got {type(overlap).__name__}")
    if not 0 <= overlap < size:
        raise ValueError(f"overlap must be in [0, size) = [0, {size}), got {overlap}")
    check_choice("strategy", strategy, STRATEGIES)
    if strategy == "sentences" and overlap:
        raise ValueError("overlap must be 0 for the 'sentences' strategy")
    return _chunks(size, overlap, strategy)


@memoized(maxsize=16)
def _chunks(size: int, overlap: int, strategy: str) -> tuple[Chunk, ...]:
    out: list[Chunk] = []
    for doc, sentences in enumerate(corpus().sentences):
        words, spans = [], []
        for s in sentences:
            spans.append((len(words), len(words) + len(s.words)))
            words.extend(s.words)
        if strategy == "fixed":
            starts = list(range(0, max(1, len(words) - overlap), size - overlap))
            windows = [(a, min(a + size, len(words))) for a in starts]
        else:
            windows, a = [], 0
            for lo, hi in spans:
                if hi - a > size and lo > a:
                    windows.append((a, lo))
                    a = lo
            windows.append((a, len(words)))
        for a, b in windows:
            whole = tuple((doc, i) for i, (lo, hi) in enumerate(spans) if a <= lo and hi <= b)
            out.append(Chunk(len(out), doc, a, tuple(words[a:b]), whole))
    return tuple(out)


class Index:
    """BM25 and hashed dense vectors over one chunking of the corpus.

    The dense side keeps, for each of the :data:`DIM` dimensions, the chunks whose vector is
    non-zero there (the toy vectors are sparse), so exact inner products cost one pass over the
    query's dimensions. A production index would use HNSW (:class:`mlsd.retrieval.HNSWIndex`).
    """

    def __init__(self, chunks: tuple[Chunk, ...]):
        if not chunks or not all(isinstance(c, Chunk) for c in chunks):
            raise TypeError("chunks must be a non-empty tuple of Chunk (use chunk_corpus)")
        self.chunks = chunks
        views = _sentence_views()
        self.segments, self.tokens, vectors = [], [], []
        for c in chunks:
            segs = []
            for sid, toks in _segments(c):
                cons = views[sid][1] if sid is not None else concepts(toks)
                segs.append((sid, toks, cons))
            self.segments.append([(sid, set(toks), set(cons)) for sid, toks, cons in segs])
            self.tokens.append([t for _, toks, _ in segs for t in toks])
            vectors.append(_embed_concepts([x for _, _, cons in segs for x in cons]))
        self.bm25 = BM25(self.tokens)
        self.columns: dict[int, list[tuple[int, float]]] = {}
        for i, vec in enumerate(vectors):
            for d, v in vec.items():
                self.columns.setdefault(d, []).append((i, v))
        self.idf_concept, self.idf_token, self.default_idf = _sentence_idf()

    def bm25_search(self, tokens: list[str], k: int) -> tuple[list[tuple[int, float]], int]:
        """Top ``k`` chunks by BM25, and the postings read to find them."""
        read = sum(len(self.bm25.postings.get(t, ())) for t in dict.fromkeys(tokens))
        scores = self.bm25.scores(tokens)
        return sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:k], read

    def dense_search(self, tokens: list[str], k: int) -> tuple[list[tuple[int, float]], int]:
        """Top ``k`` chunks by cosine with the stand-in embedding, and the column entries read."""
        scores: dict[int, float] = {}
        read = 0
        for d, qv in embed(tokens).items():
            col = self.columns.get(d, ())
            read += len(col)
            for i, v in col:
                scores[i] = scores.get(i, 0.0) + qv * v
        return sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:k], read


@memoized(maxsize=8)
def index(size: int = 64, overlap: int = 0, strategy: str = "sentences") -> Index:
    """The (memoized) index over :func:`chunk_corpus` ``(size, overlap, strategy)``."""
    return Index(chunk_corpus(size, overlap, strategy))


@memoized(maxsize=1)
def _sentence_views() -> dict:
    """Every sentence's tokens and concepts, by sentence id (doc, position)."""
    out = {}
    for doc, sentences in enumerate(corpus().sentences):
        for i, s in enumerate(sentences):
            toks = tokenize(_text(s.words))
            out[(doc, i)] = (toks, concepts(toks))
    return out


@memoized(maxsize=1)
def _sentence_idf() -> tuple[dict, dict, float]:
    """IDF of concepts and of exact tokens over all sentences, for the re-ranker."""
    df_c: dict[str, int] = {}
    df_t: dict[str, int] = {}
    views = _sentence_views()
    for toks, cons in views.values():
        for c in set(cons):
            df_c[c] = df_c.get(c, 0) + 1
        for t in set(toks):
            df_t[t] = df_t.get(t, 0) + 1
    n = len(views)
    return ({c: math.log(1 + n / df) for c, df in df_c.items()},
            {t: math.log(1 + n / df) for t, df in df_t.items()}, math.log(1 + n))


def _sentence_words(sid: tuple) -> tuple:
    doc, i = sid
    return corpus().sentences[doc][i].words


def _segments(chunk: Chunk) -> list[tuple[tuple | None, list[str]]]:
    """The chunk's text cut at sentence boundaries: (sentence id or None if cut, tokens)."""
    doc = corpus().sentences[chunk.doc]
    out, pos = [], 0
    a, b = chunk.start, chunk.start + len(chunk.words)
    for i, s in enumerate(doc):
        lo, hi = pos, pos + len(s.words)
        pos = hi
        if hi <= a or lo >= b:
            continue
        words = s.words[max(0, a - lo):len(s.words) - max(0, hi - b)]
        whole = a <= lo and hi <= b
        out.append(((chunk.doc, i), _sentence_views()[(chunk.doc, i)][0]) if whole
                   else (None, tokenize(_text(words))))
    return out


def _query_weights(idx: Index, q_tokens: list[str]) -> tuple[list, list, float]:
    """The query's concepts and exact identifiers with their weights (IDF; identifiers twice)."""
    ids = [t for t in dict.fromkeys(q_tokens) if "-" in t and any(ch.isdigit() for ch in t)]
    q_concepts = list(dict.fromkeys(concepts([t for t in q_tokens if t not in ids])))
    cw = [(c, idx.idf_concept.get(c, idx.default_idf)) for c in q_concepts]
    tw = [(t, 2 * idx.idf_token.get(t, idx.default_idf)) for t in ids]
    return cw, tw, math.fsum(w for _, w in cw) + math.fsum(w for _, w in tw)


def _coverage(weights: tuple, s_tokens: set, s_concepts: set) -> float:
    """Share of the query's weight one sentence covers: concepts by IDF, identifiers exactly."""
    cw, tw, total = weights
    if not total:
        return 0.0
    got = sum(w for c, w in cw if c in s_concepts) + sum(w for t, w in tw if t in s_tokens)
    return got / total


def rerank(idx: Index, query: str, candidates: list[int], k: int = 5) -> list[tuple[int, float]]:
    """Re-score candidate chunks with the cross-encoder stand-in; top ``k`` ``(chunk, score)``.

    A chunk's score is the best :func:`_coverage` of any of its sentences: the query and the
    sentence are read together, so "hotel" and "berlin" must appear in the *same* sentence.
    """
    weights = _query_weights(idx, tokenize(query))
    scored = []
    for rank, c in enumerate(candidates):
        best = max((_coverage(weights, toks, cons) for _, toks, cons in idx.segments[c]),
                   default=0.0)
        scored.append((c, best, rank))
    scored.sort(key=lambda row: (-row[1], row[2]))
    return [(c, s) for c, s, _ in scored[:k]]


def retrieve(idx: Index, query: str, method: str = "hybrid", k: int = 5, rerank_from: int = 0,
             rrf_k: float = 60.0) -> list[tuple[int, float]]:
    """Top ``k`` chunks for ``query`` by ``method``; re-rank the top ``rerank_from`` first if > 0."""
    if not isinstance(idx, Index):
        raise TypeError(f"idx must be an Index, got {type(idx).__name__}")
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, got {type(query).__name__}")
    check_choice("method", method, METHODS)
    k = check_positive_int("k", k)
    pool = max(k, rerank_from)
    return _retrieve(idx, query, method, k, pool, rerank_from > 0, rrf_k)[0]


def _retrieve(idx, query, method, k, pool, do_rerank, rrf_k):
    tokens = tokenize(query)
    work = {"postings read": 0, "vectors read": 0, "candidates re-ranked": 0}
    lists = []
    if method in ("bm25", "hybrid"):
        hits, work["postings read"] = idx.bm25_search(tokens, 2 * pool if method == "hybrid" else pool)
        lists.append(hits)
    if method in ("dense", "hybrid"):
        hits, work["vectors read"] = idx.dense_search(tokens, 2 * pool if method == "hybrid" else pool)
        lists.append(hits)
    ranked = lists[0] if len(lists) == 1 else reciprocal_rank_fusion(lists, k=rrf_k)
    ranked = ranked[:pool]
    if do_rerank:
        work["candidates re-ranked"] = len(ranked)
        ranked = rerank(idx, query, [c for c, _ in ranked], k)
    return ranked[:k], work


# --------------------------------------------------------------------------- answers

def _claim_of(sid: tuple) -> tuple | None:
    doc, i = sid
    fact = corpus().sentences[doc][i].fact
    return None if fact is None else corpus().facts[fact]


def generate(idx: Index, q: Query, ranked: list[tuple[int, float]], index_day: float) -> dict:
    """The generator stand-in: answer from the best complete fact sentence in the prompt.

    Returns ``claim`` = (entity asked, attribute, value) — the value of the best sentence, from
    the document version the index holds on ``index_day`` — its ``source`` sentence, and the
    ``score`` of that sentence. ``claim`` is ``None`` when no complete fact sentence is present.
    """
    weights = _query_weights(idx, tokenize(q.text))
    best = None
    for c, _ in ranked:
        for sid, toks, cons in idx.segments[c]:
            if sid is None or _claim_of(sid) is None:
                continue
            s = _coverage(weights, toks, cons)
            if best is None or s > best[0]:
                best = (s, sid)
    if best is None:
        return {"claim": None, "source": None, "score": 0.0}
    fact = _claim_of(best[1])
    claim = (q.entity, fact.attribute, value_as_of(fact, index_day))
    return {"claim": claim, "source": best[1], "score": best[0]}


def grounded(idx: Index, claim: tuple | None, ranked: list[tuple[int, float]], index_day: float) -> bool:
    """Is ``claim`` stated by a complete sentence of the retrieved chunks (as the index holds them)?"""
    if claim is None:
        return False
    entity, attribute, value = claim
    for c, _ in ranked:
        for sid in idx.chunks[c].whole:
            fact = _claim_of(sid)
            if (fact is not None and fact.entity == entity and fact.attribute == attribute
                    and value_as_of(fact, index_day) == value):
                return True
    return False


def answer(q: Query, idx: Index | None = None, method: str = "hybrid", k: int = 5,
           rerank_from: int = 20, threshold: float = 0.0, check: bool = False,
           index_day: float | None = None) -> dict:
    """Retrieve, generate, check; abstain when the best sentence scores below ``threshold`` or,
    with ``check``, when the claim is not grounded. ``index_day``: when the index was last built
    (default: the query's own time, a fresh index).

    Returns ``outcome`` (``correct``, ``wrong`` or ``abstained``), ``claim``, ``grounded``,
    ``ranked`` and ``prompt_words`` (the words of the chunks sent to the generator).
    """
    if not isinstance(q, Query):
        raise TypeError(f"q must be a Query, got {type(q).__name__}")
    threshold = check_number("threshold", threshold)
    idx = idx if idx is not None else index()
    day = q.day if index_day is None else check_number("index_day", index_day)
    ranked = retrieve(idx, q.text, method, k, rerank_from)
    gen = generate(idx, q, ranked, day)
    result = {"claim": gen["claim"], "grounded": grounded(idx, gen["claim"], ranked, day),
              "score": gen["score"], "ranked": ranked,
              "prompt_words": sum(len(idx.chunks[c].words) for c, _ in ranked)}
    result["outcome"] = outcome(q, result, threshold, check)
    result["abstained"] = abstains(result, threshold, check)
    return result


def abstains(result: dict, threshold: float = 0.0, check: bool = False) -> bool:
    """Does the assistant decline under this policy: no claim, a score below ``threshold``, or
    (with ``check``) a claim no retrieved sentence supports?"""
    return (result["claim"] is None or result["score"] < threshold
            or (check and not result["grounded"]))


def outcome(q: Query, result: dict, threshold: float = 0.0, check: bool = False) -> str:
    """``correct``, ``wrong`` or ``abstained`` for an :func:`answer` result under a policy.

    The assistant abstains when there is no claim, when the best sentence scores below
    ``threshold``, or (with ``check``) when the claim is not grounded. Abstaining on a question
    the corpus cannot answer is correct; on one it can answer, it is ``abstained``.
    """
    if not isinstance(q, Query):
        raise TypeError(f"q must be a Query, got {type(q).__name__}")
    threshold = check_number("threshold", threshold)
    claim = result["claim"]
    if abstains(result, threshold, check):
        return "correct" if q.fact is None else "abstained"
    if q.fact is None:
        return "wrong"
    fact = corpus().facts[q.fact]
    return "correct" if claim == (fact.entity, fact.attribute, value_as_of(fact, q.day)) else "wrong"


def run_queries(qs, **kwargs) -> list[dict]:
    """:func:`answer` for each query (same keyword arguments)."""
    return [answer(q, **kwargs) for q in qs]


def retrieval_metrics(idx: Index, qs, method: str, k: int = 5, rerank_from: int = 0,
                      ndcg_k: int = 10, rrf_k: float = 60.0) -> dict:
    """Answer recall@k (a chunk holding the whole answer sentence is in the top k), nDCG@ndcg_k
    and words sent, averaged over the answerable queries in ``qs``."""
    hits, ndcg, words, n = 0, 0.0, 0, 0
    where: dict[tuple, list[int]] = {}
    for ch in idx.chunks:
        for sid in ch.whole:
            where.setdefault(sid, []).append(ch.id)
    depth = max(k, ndcg_k)
    for q in qs:
        if q.fact is None:
            continue
        fact = corpus().facts[q.fact]
        sid = next((fact.doc, i) for i, s in enumerate(corpus().sentences[fact.doc])
                   if s.fact == fact.id)
        relevant = set(where.get(sid, ()))
        ranked = [c for c, _ in _retrieve(idx, q.text, method, depth, max(depth, rerank_from),
                                          rerank_from > 0, rrf_k)[0]]
        n += 1
        hits += bool(relevant & set(ranked[:k]))
        if relevant and ranked:
            ndcg += metrics.ndcg_at_k(ranked, relevant, min(ndcg_k, len(ranked)))
        words += sum(len(idx.chunks[c].words) for c in ranked[:k])
    if n == 0:
        raise ValueError("qs holds no answerable query")
    return {"recall": hits / n, "ndcg": ndcg / n, "words": words / n, "queries": n}


# --------------------------------------------------------------------------- serving

SERVE_STAGES = ("embed query", "bm25", "dense", "fuse", "rerank", "prompt", "generate (stand-in)",
                "grounding check")


def serve(text: str, idx: Index | None = None, day: float = WORLD["days"], k: int = 5,
          rerank_from: int = 20, threshold: float = 0.0) -> dict:
    """Answer one question and time each stage of :data:`SERVE_STAGES` (milliseconds).

    Returns ``answer`` (a sentence, or "I don't know"), ``sources`` (document titles),
    ``prompt_words``, ``work`` (postings read, vectors read, candidates re-ranked) and ``ms``.
    The real generator's latency and cost are not measured here: the page budgets them.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not tokenize(text):
        raise ValueError(f"text must hold at least one word that is not a stop word, got {text!r}")
    idx = idx if idx is not None else index()
    day = check_number("day", day)
    clock = time.perf_counter
    t0 = clock()
    tokens = tokenize(text)
    qvec = embed(tokens)
    t1 = clock()
    pool = max(k, rerank_from)
    bm, postings = idx.bm25_search(tokens, 2 * pool)
    t2 = clock()
    dn, vectors = idx.dense_search(tokens, 2 * pool)
    t3 = clock()
    fused = reciprocal_rank_fusion([bm, dn])[:pool]
    t4 = clock()
    ranked = rerank(idx, text, [c for c, _ in fused], k)
    t5 = clock()
    prompt = [" ".join(idx.chunks[c].words) for c, _ in ranked]
    words = sum(len(idx.chunks[c].words) for c, _ in ranked)
    t6 = clock()
    ent = next((t for t in tokens if "-" in t), None)
    entity = ent or next((t for t in tokens if t in CITIES + COUNTRIES + PLANS + UNKNOWN_CITIES
                          + UNKNOWN_COUNTRIES + UNKNOWN_PLANS + (LAUNCH_PLAN,)), tokens[-1])
    q = Query(-1, day, -1, "live", text, None, entity, "")
    gen = generate(idx, q, ranked, day)
    t7 = clock()
    ok = grounded(idx, gen["claim"], ranked, day)
    t8 = clock()
    if gen["claim"] is None or gen["score"] < threshold or not ok:
        reply, sources = "I don't know: no document I can see answers this.", []
    else:
        fact = _claim_of(gen["source"])
        reply = " ".join(_sentence_words(gen["source"])).format(v=value_as_of(fact, day))
        sources = [corpus().titles[fact.doc]]
    stamps = (t0, t1, t2, t3, t4, t5, t6, t7, t8)
    ms = {name: 1e3 * (b - a) for name, a, b in zip(SERVE_STAGES, stamps, stamps[1:])}
    return {"answer": reply, "sources": sources, "prompt_words": words, "prompt": prompt,
            "qvec_dims": len(qvec),
            "work": {"postings read": postings, "vectors read": vectors,
                     "candidates re-ranked": len(fused)}, "ms": ms}
