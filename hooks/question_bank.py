"""Generate the question bank from the follow-up questions written in the pages.

The pages are the one source: a question lives where it is taught, and this hook collects it at
build time into ``interview/question-bank.md``, each with a link back to its section. Two forms
are collected, the two the handbook writes follow-ups in:

- a collapsible question (case studies and framework steps)::

      ??? question "How do you pick the number of candidates?"

          The answer, indented by four spaces, as many paragraphs as it needs.

- the bullets after "**Expect these follow-ups.**" in a lab's interview box::

      - *Why not score all items in training?* The answer, on one or more lines.

Each question gets a topic (one of the framework's steps, from the words in the question, see
``TOPIC_RULES``), a level (from the kind of page it comes from, see ``LEVELS``) and a stable id
(a hash of its page and its text), which the practice mode uses to keep the reader's progress.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify
from mkdocs.structure.files import File

PAGE = "interview/question-bank.md"

# Where a question comes from sets its level: the framework steps ask for the basics, a lab asks
# about one technique in depth, a case study asks you to defend a whole design.
LEVELS = {
    "framework": (1, "foundation"),
    "concepts": (2, "technique"),
    "genai": (2, "technique"),
    "platform": (2, "technique"),
    "case-studies": (3, "design"),
}

SOURCES = [
    ("framework", "[framework steps](../framework/index.md)"),
    ("concepts", "[concept labs](../concepts/index.md)"),
    ("genai", "[generative-AI labs](../genai/index.md)"),
    ("platform", "[ML platform labs](../platform/index.md)"),
    ("case-studies", "[case studies](../case-studies/index.md)"),
]

# Topics are the framework's steps. A framework step's or a lab's questions all take the page's
# topic: the page is about one thing. A case study's questions span the design, so the first rule
# whose pattern matches the question (else its answer) wins; the narrow steps come first.
TOPICS = {
    "requirements": "Requirements and framing",
    "data": "Data and features",
    "model": "Model",
    "evaluation": "Evaluation and experiments",
    "serving": "Serving and scale",
    "monitoring": "Monitoring and iteration",
}
PAGE_TOPICS = {
    "framework/clarify-requirements.md": "requirements",
    "framework/frame-ml-task.md": "requirements",
    "framework/data-features.md": "data",
    "framework/model-development.md": "model",
    "framework/evaluation.md": "evaluation",
    "framework/deployment-serving.md": "serving",
    "framework/monitoring.md": "monitoring",
    "concepts/class-imbalance.md": "data",
    "concepts/splits-leakage.md": "data",
    "concepts/cold-start-exploration.md": "model",
    "concepts/distributed-training.md": "model",
    "concepts/hyperparameter-tuning.md": "model",
    "concepts/ranking-models.md": "model",
    "concepts/re-ranking.md": "model",
    "concepts/two-tower.md": "model",
    "concepts/offline-metrics.md": "evaluation",
    "concepts/online-experiments.md": "evaluation",
    "concepts/retrieval-ann.md": "serving",
    "concepts/serving-latency.md": "serving",
    "concepts/drift-monitoring.md": "monitoring",
    "concepts/freshness.md": "monitoring",
    "concepts/labels-data-collection.md": "data",
    "concepts/sampling.md": "data",
    "concepts/feature-transforms.md": "data",
    "concepts/streaming-features.md": "data",
    "concepts/privacy-fairness.md": "data",
    "concepts/multi-task-ranking.md": "model",
    "concepts/off-policy-evaluation.md": "evaluation",
    "concepts/model-compression.md": "serving",
    "genai/llm-serving.md": "serving",
    "genai/llm-evaluation.md": "evaluation",
    "genai/prompting-rag-finetuning.md": "model",
    "genai/llm-safety.md": "serving",
    "platform/notebook-to-production.md": "serving",
    "platform/reproducibility.md": "model",
    "platform/model-serving.md": "serving",
    "platform/data-validation.md": "monitoring",
}
TOPIC_RULES = [
    # An architecture question is about the model even when it names its data ("a graph neural
    # network"), so this narrow rule comes before the data rule.
    ("model", r"\b(neural network|deep model|GNN)\b"),
    ("monitoring", r"\b(monitor\w*|drift\w*|alert\w*|retrain\w*|decay\w*|stale|feedback loop|"
                   r"adversar\w*|attack\w*|narrow\w*|fresh\w*|ago)\b"),
    ("serving", r"\b(serv\w*|latency|cache\w*|shard\w*|index\w*|ANN|real[- ]time|throughput|QPS|"
                r"memory|fallback|deploy\w*|peak|p99|capacity|radius|number of candidates|walk)\b"),
    ("evaluation", r"\b(A/B|experiment\w*|metric\w*|AUC|nDCG|recall|precision|offline|online test|"
                   r"evaluat\w*|sample size|interleav\w*|significan\w*|lift|calibrat\w*|"
                   r"threshold\w*|measure success|engagement)\b"),
    ("data", r"(\b(label\w*|feature\w*|data|leak\w*|split\w*|bias\w*|delay\w*|chargeback\w*|"
             r"negatives?|signal|no-shows?|disputes?|graph|chunk\w*)\b|sampl)"),
    ("model", r"\b(model\w*|train\w*|loss|embedding\w*|vectors?|encoder\w*|tower|GBDT|trees?|"
              r"network|heads?|weights?|dimension\w*|temperature|batch size|cold[- ]start|"
              r"new (host|user|item|ad|listing|restaurant|city|event|video)\w*|explor\w*|bandit\w*|"
              r"rank\w*)\b"),
]
DEFAULT_TOPIC = "requirements"

_DETAILS = re.compile(r'^(?P<indent> *)\?\?\?\+? question "(?P<q>.+)"\s*$')
_FOLLOW_UPS = re.compile(r"\*\*Expect these follow-ups\.\*\*")
_BULLET = re.compile(r"^(?P<indent> *)- \*(?P<q>[^*]+?)\*\s*(?P<a>.*)$")
_HEADING = re.compile(r"^(#{1,6}) +(?P<text>.+?)\s*(?:\{[^}]*#(?P<id>[\w-]+)[^}]*\})?\s*$")
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


@dataclass(frozen=True)
class Question:
    qid: str
    question: str
    answer: str          # Markdown, links already rewritten for the bank page
    page: str            # src_uri of the page, e.g. "case-studies/news-feed.md"
    page_title: str
    section: str
    anchor: str
    topic: str
    level: int


def _plain(text: str) -> str:
    """Heading text as the toc extension sees it: links, code and emphasis reduced to their words."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[`*_]", "", text)


def topic_of(page: str, question: str, answer: str = "") -> str:
    """The framework step a question belongs to (a key of ``TOPICS``)."""
    if page in PAGE_TOPICS:
        return PAGE_TOPICS[page]
    for text in (question, answer):
        for topic, pattern in TOPIC_RULES:
            if re.search(pattern, text, flags=re.I):
                return topic
    return DEFAULT_TOPIC


def _rebase_links(markdown: str, page: str) -> str:
    """Rewrite relative links written for ``page`` so they work from the bank page."""
    src_dir, bank_dir = posixpath.dirname(page), posixpath.dirname(PAGE)

    def fix(m: re.Match) -> str:
        target = m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("/"):
            return m.group(0)
        path, _, fragment = target.partition("#")
        resolved = page if not path else posixpath.normpath(posixpath.join(src_dir, path))
        new = posixpath.relpath(resolved, bank_dir) + (f"#{fragment}" if fragment else "")
        return m.group(1) + new + m.group(3)

    return _LINK.sub(fix, markdown)


def _block(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """Lines from ``start`` indented deeper than ``indent`` (blank lines included), dedented."""
    body, i = [], start
    while i < len(lines):
        line = lines[i]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        body.append(line)
        i += 1
    while body and not body[-1].strip():
        body.pop()
    width = min((len(x) - len(x.lstrip(" ")) for x in body if x.strip()), default=0)
    return [x[width:] for x in body], i


def extract(markdown: str, page: str) -> list[Question]:
    """Every follow-up question of one page, in page order."""
    if not isinstance(markdown, str) or not isinstance(page, str):
        raise TypeError("extract(markdown, page) takes two strings")
    kind = page.split("/", 1)[0]
    if kind not in LEVELS:
        return []
    level = LEVELS[kind][0]
    lines = markdown.splitlines()
    title, section, anchor = page, "", ""
    in_fence = False
    in_follow_ups = None   # indent of the interview box once "Expect these follow-ups" is seen
    found: list[Question] = []

    def add(q: str, answer_lines: list[str]) -> None:
        q = " ".join(q.split())
        answer = _rebase_links("\n".join(answer_lines).strip(), page)
        if not answer:
            raise ValueError(f"{page}: the follow-up question {q!r} has no answer")
        qid = hashlib.sha1(f"{page}\n{q}".encode()).hexdigest()[:10]
        found.append(Question(qid, q, answer, page, title, section, anchor, topic_of(page, q, answer),
                              level))

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading and not line.startswith(" "):
            text = heading.group("text")
            if len(heading.group(1)) == 1:
                title = _plain(text)
            else:
                section, anchor = _plain(text), heading.group("id") or slugify(_plain(text), "-")
            in_follow_ups = None
            i += 1
            continue
        details = _DETAILS.match(line)
        if details:
            body, i = _block(lines, i + 1, len(details.group("indent")))
            add(details.group("q"), body)
            continue
        if _FOLLOW_UPS.search(line):
            in_follow_ups = len(line) - len(line.lstrip(" "))
            i += 1
            continue
        if in_follow_ups is not None and line.strip():
            # The list of follow-ups: bullets at the box's indent; anything else ends it.
            bullet = _BULLET.match(line)
            if bullet and len(bullet.group("indent")) == in_follow_ups:
                body, i = _block(lines, i + 1, in_follow_ups)
                add(bullet.group("q"), [bullet.group("a"), *body])
                continue
            in_follow_ups = None
        i += 1
    return found


def render(questions: list[Question]) -> str:
    # Counted per source, not per level: the three lab sections share a level.
    counts = {kind: sum(q.page.split("/", 1)[0] == kind for q in questions) for kind in LEVELS}
    pages = {q.page for q in questions}
    parts = [
        "# Question bank\n\n",
        f"Every follow-up question the handbook asks, with its short answer: {len(questions)} "
        f"questions from {len(pages)} pages, collected from the pages themselves each time the site "
        "is built, so they never drift from what the pages teach. Each answer links back to the "
        "section it comes from.\n\n",
        "**How to drill.** Filter by topic, page or level, draw a random question, answer it out "
        "loud before the countdown ends, then reveal the answer and mark whether you knew it. Your "
        "marks stay in this browser until you reset them. Everything works with the keyboard: "
        "<kbd>D</kbd> draws, <kbd>R</kbd> reveals, <kbd>K</kbd> marks known, <kbd>N</kbd> marks not "
        "yet. Without JavaScript, the page is the plain list below.\n\n",
        "**Levels** follow where a question comes from: "
        + ", ".join(f"*{LEVELS[kind][1]}* questions from the {label} ({counts[kind]})"
                    for kind, label in SOURCES if counts[kind])
        + ". **Topics** are the framework's steps: a framework step's or a lab's questions take its "
        "topic, a case study's are sorted by the words of the question.\n\n",
        '<div class="question-bank" data-question-bank markdown>\n\n',
    ]
    current = None
    for q in questions:
        if q.page != current:
            current = q.page
            kind = LEVELS[q.page.split("/", 1)[0]][1]
            parts.append(f"## {q.page_title} {{: data-qb-page=\"{q.page}\" }}\n\n"
                         f"*{kind} questions from [{q.page_title}](../{q.page})*\n\n")
        link = f"../{q.page}" + (f"#{q.anchor}" if q.anchor else "")
        where = f"{q.page_title} › {q.section}" if q.section else q.page_title
        answer = "\n".join(("    " + x) if x.strip() else "" for x in q.answer.splitlines())
        parts.append(
            f'<div class="qb-item" id="q-{q.qid}" data-qid="{q.qid}" data-topic="{q.topic}" '
            f'data-page="{html.escape(q.page)}" data-level="{q.level}" markdown>\n\n'
            f'??? question "{q.question.replace(chr(34), "&quot;")}"\n\n'
            f"{answer}\n\n"
            f"    <span class=\"qb-meta\">{TOPICS[q.topic]} · "
            f"{LEVELS[q.page.split('/', 1)[0]][1]} · [{where}]({link})</span>\n\n"
            "</div>\n\n")
    parts.append("</div>\n\n")
    parts.append('<script type="module" src="../../assets/js/question-bank.js"></script>\n')
    return "".join(parts)


def collect(files) -> list[Question]:
    questions: list[Question] = []
    def order(f):  # framework steps first, then labs, then case studies, each alphabetically
        kind = f.src_uri.split("/", 1)[0]
        return (LEVELS[kind][0] if kind in LEVELS else 0, f.src_uri)

    for f in sorted(files.documentation_pages(), key=order):
        if f.src_uri != PAGE and f.src_uri.split("/", 1)[0] in LEVELS:
            questions.extend(extract(f.content_string, f.src_uri))
    return questions


# --- hooks --------------------------------------------------------------------------------------

def on_files(files, config, **kwargs):
    questions = collect(files)
    files.append(File.generated(config, PAGE, content=render(questions)))
    return files


def on_page_context(context, page, config, nav, **kwargs):
    # The page is generated: "edit this page" should explain where the questions live.
    if page.file.src_uri == PAGE and config.get("repo_url"):
        page.edit_url = config["repo_url"].rstrip("/") + "/tree/main/docs"
    return context
