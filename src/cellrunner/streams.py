"""Text output with a cap: a program that prints a million lines must not flood the page.

Both streams (stdout and stderr) share one :class:`OutputBudget`. Text within the budget is passed
on at once, chunk by chunk, so output streams while the program runs; past the budget, text is
only counted, and a single ``truncated`` event tells the reader that the rest was cut.
"""

from __future__ import annotations

import io
from typing import Callable

Emit = Callable[[str, dict], None]


class OutputBudget:
    """How much text may still be shown, shared by stdout and stderr."""

    def __init__(self, emit: Emit, max_lines: int, max_chars: int):
        self.emit = emit
        self.max_lines = max_lines
        self.max_chars = max_chars
        self.lines = 0          # newlines shown so far
        self.chars = 0          # characters shown so far
        self.hidden_lines = 0   # newlines written after the cap
        self.hidden_chars = 0
        self.truncated = False

    def write(self, stream: str, text: str) -> None:
        if not text:
            return
        if self.truncated:
            self.hidden_chars += len(text)
            self.hidden_lines += text.count("\n")
            return
        shown = self._fit(text)
        if shown:
            self.chars += len(shown)
            self.lines += shown.count("\n")
            self.emit(stream, {"text": shown})
        if len(shown) < len(text):
            rest = text[len(shown):]
            self.hidden_chars += len(rest)
            self.hidden_lines += rest.count("\n")
            self.truncated = True
            self.emit("truncated", {"max_lines": self.max_lines, "max_chars": self.max_chars})

    def _fit(self, text: str) -> str:
        """The longest prefix of ``text`` that stays within both limits."""
        room = self.max_chars - self.chars
        if room <= 0:
            return ""
        text = text[:room]
        lines_left = self.max_lines - self.lines
        if text.count("\n") <= lines_left - 1 or (text.count("\n") == lines_left and text.endswith("\n")):
            return text
        # Cut right after the last newline that still fits.
        end = -1
        for _ in range(lines_left):
            end = text.find("\n", end + 1)
        return text[:end + 1] if lines_left > 0 else ""


class TextStream(io.TextIOBase):
    """A ``sys.stdout`` / ``sys.stderr`` stand-in that forwards text to the budget."""

    def __init__(self, name: str, budget: OutputBudget):
        super().__init__()
        self._name = name
        self._budget = budget

    @property
    def name(self) -> str:  # type: ignore[override]
        return "<" + self._name + ">"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._budget.write(self._name, text)
        return len(text)

    def flush(self) -> None:
        pass
