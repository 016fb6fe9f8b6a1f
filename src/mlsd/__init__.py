"""mlsd — the teaching library behind the runnable ML System Design handbook.

Standard library only, so every function runs the same on CPython 3.11+ and in
Pyodide in the browser. One module per concept; each algorithm fits on a screen.
"""

__version__ = "0.1.0"
