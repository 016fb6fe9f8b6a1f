"""hooks/question_bank.py: the follow-up questions collected from the pages into one bank."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from mkdocs_files import files_from

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("hooks_question_bank", ROOT / "hooks" / "question_bank.py")
qb = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = qb   # dataclasses look their module up while the class is built
_spec.loader.exec_module(qb)

CASE = """# Tiny case study

## Serving

Text with a ??? question "not at the start of a line" inside it.

```markdown
??? question "Inside a fence: not a question"

    No.
```

## Follow-up questions

??? question "How do you shard the index?"

    By item id, with a [merge](../concepts/retrieval-ann.md#merge) of each shard's top k.

    A second paragraph, see [below](#common-mistakes) and [the fraud page](payment-fraud.md).

??? question "Why not one model per "segment"?"

    Less data per model.

## Common mistakes

- Not a question.
"""

LAB = """# A lab

## The whole recipe {#recipe}

!!! tip "In the interview"

    **Say this in two minutes.** "Something."

    **Expect these follow-ups.**

    - *Why not a grid?* Random search covers more values of the parameters
      that matter.
    - *What if it drifts?* Retrain.

    A closing paragraph of the box, not a question.

- *A bullet outside the box* is not collected.
"""


def test_extracts_collapsible_questions_with_their_answers_and_section():
    qs = qb.extract(CASE, "case-studies/tiny.md")
    assert [q.question for q in qs] == ["How do you shard the index?", 'Why not one model per "segment"?']
    first = qs[0]
    assert first.page_title == "Tiny case study"
    assert (first.section, first.anchor) == ("Follow-up questions", "follow-up-questions")
    assert first.level == 3 and first.topic == "serving"
    assert "A second paragraph" in first.answer


def test_answer_links_are_rewritten_for_the_bank_page():
    answer = qb.extract(CASE, "case-studies/tiny.md")[0].answer
    assert "](../concepts/retrieval-ann.md#merge)" in answer          # same depth: unchanged
    assert "](../case-studies/tiny.md#common-mistakes)" in answer     # same-page anchor
    assert "](../case-studies/payment-fraud.md)" in answer            # sibling page


def test_extracts_lab_follow_up_bullets_with_continuation_lines():
    qs = qb.extract(LAB, "concepts/hyperparameter-tuning.md")
    assert [q.question for q in qs] == ["Why not a grid?", "What if it drifts?"]
    assert qs[0].answer == "Random search covers more values of the parameters\nthat matter."
    assert qs[0].anchor == "recipe"                     # an explicit heading id wins
    assert {q.topic for q in qs} == {"model"}           # a lab's questions take the lab's topic
    assert {q.level for q in qs} == {2}


def test_pages_outside_the_three_kinds_give_nothing():
    assert qb.extract(CASE, "interview/rubric.md") == []


def test_a_question_without_an_answer_is_an_error():
    with pytest.raises(ValueError, match="has no answer"):
        qb.extract('# T\n\n??? question "Empty?"\n\nNext paragraph.\n', "case-studies/t.md")


def test_bad_arguments_are_type_errors():
    with pytest.raises(TypeError):
        qb.extract(None, "case-studies/t.md")


def test_ids_are_stable_and_distinct():
    a = qb.extract(CASE, "case-studies/tiny.md")
    b = qb.extract(CASE, "case-studies/tiny.md")
    assert [q.qid for q in a] == [q.qid for q in b]
    assert len({q.qid for q in a}) == len(a)
    assert a[0].qid != qb.extract(CASE, "case-studies/other.md")[0].qid


@pytest.mark.parametrize("question, topic", [
    ("The index does not fit on one machine. How do you shard it?", "serving"),
    ("Can you use interleaving instead of an A/B test?", "evaluation"),
    ("How do you handle position bias?", "data"),
    ("How do you set the weights of the multi-task ranker's heads?", "model"),
    ("A new attack started this morning. What do you do?", "monitoring"),
    ("Block or approve: what does the business want?", "requirements"),
    ("Would a graph neural network help?", "model"),             # not data, for the word "graph"
    ("A user has 5,000 friends. What happens to the walk?", "serving"),
    ("How do you measure success if removals go up?", "evaluation"),
    ("How do you handle a new restaurant or a new city?", "model"),
])
def test_case_study_topics_follow_the_words_of_the_question(question, topic):
    assert qb.topic_of("case-studies/x.md", question) == topic


def test_render_orders_pages_and_marks_each_item():
    files = files_from({"case-studies/tiny.md": CASE, "concepts/hyperparameter-tuning.md": LAB,
                        "interview/rubric.md": CASE})
    questions = qb.collect(files)
    assert [q.page for q in questions] == ["concepts/hyperparameter-tuning.md"] * 2 + ["case-studies/tiny.md"] * 2
    page = qb.render(questions)
    assert page.count('<div class="qb-item"') == 4
    assert '??? question "Why not one model per &quot;segment&quot;?"' in page
    assert "[Tiny case study › Follow-up questions](../case-studies/tiny.md#follow-up-questions)" in page
    assert "4 questions from 2 pages" in page


def test_the_site_bank_holds_every_follow_up_the_pages_write():
    """Counted independently: one per collapsible question, one per bullet in a follow-up box."""
    expected = 0
    pages = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        uri = path.relative_to(ROOT / "docs").as_posix()
        if uri.split("/", 1)[0] not in qb.LEVELS:
            continue
        text = path.read_text(encoding="utf-8")
        pages[uri] = text
        expected += len(re.findall(r'^ *\?\?\? question "', text, flags=re.M))
        for box in re.findall(r"\*\*Expect these follow-ups\.\*\*\n(.*?)(?=\n\S|\n {4}[^ -]|\Z)", text, flags=re.S):
            expected += len(re.findall(r"^ {4}- \*", box, flags=re.M))
    questions = qb.collect(files_from(pages))
    assert len(questions) == expected
    assert len(questions) >= 120
