"""The runner for runtimes that talk JSON: the Pyodide worker and the Node test.

Events cross the Python/JavaScript boundary as JSON text, which keeps the payloads exactly what
the build sees (no proxy objects to convert or leak).
"""

from __future__ import annotations

import json
from typing import Callable

from .runner import DEFAULT_LIMITS, Limits, run


def run_json(source: str, filename: str, emit_json: Callable[[str, str], None],
             max_lines: int = DEFAULT_LIMITS.max_lines, max_chars: int = DEFAULT_LIMITS.max_chars) -> str:
    """Run ``source``; call ``emit_json(kind, json_text)`` per event; return the result as JSON."""
    limits = Limits(max_lines=int(max_lines), max_chars=int(max_chars))
    result = run(source, lambda kind, data: emit_json(kind, json.dumps(data, ensure_ascii=False)),
                 filename=filename, limits=limits)
    return json.dumps(result)
