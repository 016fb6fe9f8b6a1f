"""A cell as HTML: highlighted code, its source, and its output drawn from the run's events.

The output markup is the same as docs/assets/cells/render.js draws in the page after a run
(stream blocks, tables, charts, notices), so both look alike and the browser tests compare them
block by block. Every text goes through ``html.escape``.
"""

from __future__ import annotations

import html
import re

import markdown


def _number(n: int) -> str:
    return f"{n:,}"


# Same wording as render.js (truncatedText / hiddenText).
def truncated_text(data: dict) -> str:
    return (f"Output truncated: only the first {_number(data['max_lines'])} lines "
            f"({_number(data['max_chars'])} characters at most) are shown.")


def hidden_text(result: dict) -> str:
    return (f"{_number(result['hidden_lines'])} more lines ({_number(result['hidden_chars'])} "
            "characters) were not shown.")


class CodeHighlighter:
    """Highlight Python with pymdownx.highlight (Pygments), as a fenced block on a page would be."""

    def __init__(self, highlight_config: dict | None = None):
        config = dict(highlight_config or {})
        # Line anchors carry ids that would repeat across cells on one page; the numbers are CSS's.
        for key in ("anchor_linenums", "linenums"):
            config.pop(key, None)
        # One element per line, so that the code can be laid out like the editor that replaces it
        # (numbered, wrapped): mounting the editor then moves nothing on the page. Pygments closes
        # and reopens a token's span at each line end, so every line is a whole element.
        config["line_spans"] = "__cellline"
        self._md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"],
                                     extension_configs={"pymdownx.highlight": config})

    def __call__(self, code: str) -> str:
        self._md.reset()
        fence = "`" * max(3, _longest_backtick_run(code) + 1)
        out = self._md.convert(f"{fence}python\n{code.rstrip()}\n{fence}")
        # The line spans' ids would repeat across the cells of a page: a class instead.
        out = _LINE_SPAN_ID.sub('<span class="cell-line">', out)
        if code.endswith("\n"):
            # The editor shows the line after the source's final newline; an empty element (no
            # text, so the code's text stays the source) takes its place here.
            out = out.replace("</code>", '<span class="cell-line"></span></code>', 1)
        return out


_LINE_SPAN_ID = re.compile(r'<span id="__cellline-\d+-\d+">')


def _longest_backtick_run(text: str) -> int:
    best = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        best = max(best, run)
    return best


def _table(data: dict) -> str:
    label = html.escape(f"Table: {data.get('title') or ', '.join(data['columns'])}", quote=True)
    # tabindex: a wide table scrolls sideways, and keyboard users must reach it.
    parts = [f'<div class="cell-table" data-varies="{str(bool(data.get("varies"))).lower()}" tabindex="0" '
             f'role="region" aria-label="{label}"><table class="cell-grid">']
    if data.get("title"):
        parts.append(f"<caption>{html.escape(data['title'])}</caption>")
    parts.append("<thead><tr>")
    parts += [f'<th scope="col">{html.escape(c)}</th>' for c in data["columns"]]
    parts.append("</tr></thead><tbody>")
    for raw, row in zip(data["rows"], data["cells"]):
        cells = []
        for value, text in zip(raw, row):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            cls = ' class="cell-num"' if numeric else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    if data.get("hidden_rows"):
        parts.append(f'<p class="cell-note">{_number(data["hidden_rows"])} more rows not shown.</p>')
    parts.append("</div>")
    return "".join(parts)


def _chart(data: dict, svg: str) -> str:
    values = data["spec"].get("data", {}).get("values", [])
    # The figure carries the name; the drawing itself is hidden from the accessibility tree.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" ', 1)
    label = html.escape(f"Chart: {data.get('title') or 'untitled'}", quote=True)
    return (f'<figure class="cell-chart" data-points="{len(values)}" '
            f'data-varies="{str(bool(data.get("varies"))).lower()}" aria-label="{label}">'
            f'<div class="cell-chart-view">{svg}</div></figure>')


def output_html(events: list[dict], result: dict, svgs: list[str]) -> str:
    """The output blocks of a run. ``svgs`` holds one pre-rendered SVG per chart, in order."""
    out: list[str] = []
    charts = iter(svgs)
    for ev in events:
        kind, data = ev["kind"], ev["data"]
        if kind in ("stdout", "stderr"):
            cls = "cell-stream cell-stderr" if kind == "stderr" else "cell-stream"
            out.append(f'<pre class="{cls}" data-stream="{kind}">{html.escape(data["text"])}</pre>')
        elif kind == "table":
            out.append(_table(data))
        elif kind == "chart":
            out.append(_chart(data, next(charts)))
        elif kind == "truncated":
            out.append(f'<p class="cell-notice">{html.escape(truncated_text(data))}</p>')
        elif kind == "error":  # never at build time (a failing cell fails the build), kept for parity
            out.append(f'<pre class="cell-error" data-error-type="{html.escape(data["type"])}">'
                       f'{html.escape(data["traceback"])}</pre>')
    if result.get("hidden_lines") or result.get("hidden_chars"):
        out.append(f'<p class="cell-notice" data-note="hidden">{html.escape(hidden_text(result))}</p>')
    return "".join(out)


_TAG = re.compile(r"<[^>]+>")


def code_text(code_html: str) -> str:
    """The text a browser sees in the highlighted block's ``<code>`` element (its textContent)."""
    inner = code_html[code_html.index("<code>") + len("<code>"):code_html.rindex("</code>")]
    return html.unescape(_TAG.sub("", inner))


def cell_html(*, path: str, page: str, source: str, source_hash: str, library: str, code_html: str,
              output: str) -> str:
    name = path.rsplit("/", 1)[-1]
    # The editor starts from the exact source. Usually the highlighted code already holds it as
    # text, and the page carries it once; only when the two differ (e.g. trailing blank lines) the
    # source rides in an attribute too. Not in a <script> data block: Material's instant
    # navigation re-creates every inline <script> as executable code.
    source_attr = "" if code_text(code_html) == source else f' data-cell-source="{html.escape(source, quote=True)}"'
    return (
        f'<div class="cell" data-cell="{html.escape(path, quote=True)}" data-cell-page="{html.escape(page, quote=True)}" '
        f'data-cell-hash="{source_hash}" '
        f'data-cell-lib="{html.escape(library, quote=True)}"{source_attr}>'
        # The program text stays out of the search index (a third of it otherwise); the prose
        # around a cell says what it shows, and the API reference names the calls.
        f'<div class="cell-code" data-search-exclude>{code_html}</div>'
        f'<div class="cell-output" role="group" aria-label="Output of {html.escape(name, quote=True)}">{output}</div>'
        "</div>"
    )
