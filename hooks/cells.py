"""Runnable cells (first version): include a snippet and its CPython output in the page."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CELL = re.compile(r"^<!--\s*cell:\s*(?P<path>\S+)\s*-->\s*$", re.M)


def _render(match: re.Match) -> str:
    rel = match.group("path")
    path = SNIPPETS / rel
    if not path.is_file():
        raise FileNotFoundError(f"cell {rel}: no such file under snippets/")
    code = path.read_text(encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=30,
                         env={"PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "0"})
    if run.returncode != 0:
        raise RuntimeError(f"cell {rel} failed:\n{run.stderr}")
    return (f"```python\n{code.rstrip()}\n```\n\n"
            f'<pre class="cell-output"><code>{html.escape(run.stdout)}</code></pre>\n')


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    return CELL.sub(_render, markdown)
