"""Give every checklist box an accessible name.

pymdownx.tasklist renders ``- [ ] text`` as an empty ``<label>`` around a disabled checkbox, with
the item's text after the label. A screen reader then announces "checkbox, not checked" and
nothing else. This hook names each box after its item's text (up to a nested list), so the reader
hears "The business objective in one sentence, checkbox, not checked".
"""

from __future__ import annotations

import html
import re

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
    def add_label(match: re.Match) -> str:
        name = html.escape(item_name(match.group("text")), quote=True)
        return f'{match.group(1)} aria-label="{name}"{match.group(2)}{match.group("text")}'
    return TASK_ITEM.sub(add_label, page_html)


def on_page_content(html: str, **kwargs) -> str:
    return name_checkboxes(html)
