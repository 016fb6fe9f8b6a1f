"""Generate the glossary page from the entries in glossary/*.yml.

Each area of the handbook keeps its own file of terms, so pages and their terms change together.
This hook merges them, checks that every ``id`` (the anchor other pages link to) is unique and
well formed, and adds ``reference/glossary.md`` to the site as a generated page. Links such as
``../reference/glossary.md#auc`` are then validated by the strict build like any other anchor.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = ROOT / "glossary"
PAGE = "reference/glossary.md"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

INTRO = """# Glossary

Every term the handbook uses, in one place. Pages link a term here the first time they use it.
Each entry has its own anchor, so you can link to it: `reference/glossary.md#<id>`.

"""


def load_entries(folder: Path = GLOSSARY_DIR) -> list[dict]:
    entries: list[dict] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of entries")
        for i, entry in enumerate(data):
            where = f"{path.name} entry {i + 1}"
            if not isinstance(entry, dict):
                raise ValueError(f"{where}: expected a mapping with term, id, definition")
            missing = [k for k in ("term", "id", "definition") if not entry.get(k)]
            if missing:
                raise ValueError(f"{where}: missing {', '.join(missing)}")
            term_id = str(entry["id"])
            if not _ID.match(term_id):
                raise ValueError(f"{where}: id {term_id!r} must be lowercase letters, digits and '-'")
            if term_id in seen:
                raise ValueError(f"{where}: id {term_id!r} is already used in {seen[term_id].name}")
            seen[term_id] = path
            entries.append(entry)
    return sorted(entries, key=lambda e: str(e["term"]).casefold())


def render(entries: list[dict]) -> str:
    parts = [INTRO]
    letter = None
    for entry in entries:
        first = str(entry["term"])[0].upper()
        first = first if first.isalpha() else "#"
        if first != letter:
            letter = first
            parts.append(f"## {letter}\n\n")
        definition = " ".join(str(entry["definition"]).split())
        parts.append(f'<dl class="glossary-entry" markdown>\n<dt id="{entry["id"]}" markdown>'
                     f'**{entry["term"]}**</dt>\n<dd markdown>\n\n{definition}')
        if entry.get("see"):
            parts.append(f" See also: {entry['see']}.")
        parts.append("\n\n</dd>\n</dl>\n\n")
    return "".join(parts)


# --- hooks --------------------------------------------------------------------------------------

def on_files(files, config, **kwargs):
    content = render(load_entries())
    files.append(File.generated(config, PAGE, content=content))
    return files


def on_page_context(context, page, config, nav, **kwargs):
    # The page is generated: "edit this page" should open the entries, not a file that isn't there.
    if page.file.src_uri == PAGE and config.get("repo_url"):
        page.edit_url = config["repo_url"].rstrip("/") + "/tree/main/glossary"
    return context
