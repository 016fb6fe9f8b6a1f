"""Give every checklist box an accessible name (a Python-Markdown extension).

pymdownx.tasklist renders ``- [ ] text`` as an empty ``<label>`` around a disabled checkbox, with
the item's text after the label. A screen reader then announces "checkbox, not checked" and
nothing else. This extension names each box after its item's text (up to a nested list), so the
reader hears "The business objective in one sentence, checkbox, not checked".

Enable it after ``pymdownx.tasklist`` in ``markdown_extensions``::

    - pymdownx.tasklist:
        custom_checkbox: true
    - handbook_markdown.checklists

It works on the HTML of the whole document, once every other step has run (a postprocessor), so
the name is the item's text as the reader sees it, whatever inline markup it has.
"""

from __future__ import annotations

import html
import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

TASK_ITEM = re.compile(
    r'(<li class="task-list-item"><label class="task-list-control"><input type="checkbox")'
    r'([^>]*/><span class="task-list-indicator"></span></label>)'
    r'(?P<text>.*?)(?=<ul|<ol|</li>)',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def item_name(item_html: str) -> str:
    """The plain text of an item's HTML, whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub("", item_html)).split())


def name_checkboxes(page_html: str) -> str:
    """``page_html`` with an ``aria-label`` on every task-list checkbox, and nothing else changed."""
    def add_label(match: re.Match) -> str:
        name = html.escape(item_name(match.group("text")), quote=True)
        return f'{match.group(1)} aria-label="{name}"{match.group(2)}{match.group("text")}'
    return TASK_ITEM.sub(add_label, page_html)


class _NameCheckboxes(Postprocessor):
    def run(self, text: str) -> str:
        return name_checkboxes(text)


class ChecklistLabels(Extension):
    """Name every checklist box after its item's text."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        # After raw HTML (30) and entities (20) are back in place: the text is the final one.
        md.postprocessors.register(_NameCheckboxes(md), "handbook_checklist_labels", 5)


def makeExtension(**kwargs) -> ChecklistLabels:  # noqa: N802 (Python-Markdown's entry point)
    return ChecklistLabels(**kwargs)
