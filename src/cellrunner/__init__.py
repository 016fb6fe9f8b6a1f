"""cellrunner — run one cell (a complete Python program) and report what it shows.

The same code runs at build time under CPython, in the page's Pyodide worker and in the Node
test, so a cell's output means the same thing everywhere. A run produces *events*, each a kind and
a JSON-ready dict, handed to a callback as they happen:

=========  ==============================================================================
kind       data
=========  ==============================================================================
stdout     ``{"text": str}`` — a chunk the program wrote (``print``)
stderr     ``{"text": str}``
table      mlsd.show's table payload plus ``"cells"``: every value formatted as text
chart      mlsd.show's chart payload (a Vega-Lite spec with inline data)
truncated  ``{"max_lines": int, "max_chars": int}`` — once, when text output hit the cap
error      ``{"type": str, "message": str, "traceback": str, "line": int | None}``
=========  ==============================================================================

Usage::

    from cellrunner import run
    result = run(source, lambda kind, data: print(kind, data), filename="ivf_recall.py")

``python -m cellrunner path/to/cell.py`` runs a file and prints ``{"events": [...], "result":
{...}}`` as JSON. The build and the tests start it only through ``cellrunner.process.run_file``
(CPython only: it starts a process), so every cell process gets the same environment and budget.
Text chunks are joined by ``merge_event`` everywhere; docs/assets/cells/protocol.js has the same
rule for JavaScript.
"""

from .compare import comparable
from .runner import DEFAULT_LIMITS, Limits, collect, merge_event, run
from .tracebacks import format_exception

__all__ = ["run", "collect", "merge_event", "Limits", "DEFAULT_LIMITS", "format_exception", "comparable"]
