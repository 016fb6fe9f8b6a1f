"""Scaffold a new part of the handbook: ``./dev new case-study <slug> [--title TITLE]``.

A case study is one slug used everywhere. From the templates in ``scaffold/case-study/`` this
creates, for the slug ``ad-click-prediction``:

- ``docs/case-studies/ad-click-prediction.md``: the page, with the outline's sections in order and
  the "What to say in 45 minutes" box, marked as a draft;
- ``snippets/case-studies/ad-click-prediction/1_data.py``: its first cell;
- ``diagrams/case-studies/ad-click-prediction/overview.mmd`` and ``serving.mmd``: its diagrams;
- ``src/casestudies/ad_click_prediction.py``: its system, with a memoized builder;
- ``tests/casestudies/test_ad_click_prediction.py``: the system's tests;

and adds the page to ``docs/case-studies/.nav.yml``. Nothing else needs an edit: the build runs
the cell, the API reference documents the module, the snippet tests run the cell in CPython and
Pyodide, the browser tests open the page and render its diagrams.

It refuses a malformed slug and a slug already in use (any of the files above, or the nav entry),
and changes nothing then. ``--root`` points it at another tree (the tests use a temporary one).
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "case-study"
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Names already taken by pages of the section or modules of the package.
RESERVED = {"index", "template", "memo"}
NAV = "docs/case-studies/.nav.yml"


def check_slug(slug: object) -> str:
    """The slug itself, or a ValueError/TypeError that says what is wrong with it."""
    if not isinstance(slug, str):
        raise TypeError(f"slug must be a string, got {type(slug).__name__}")
    if not SLUG.match(slug):
        raise ValueError(f"slug must be lowercase letters and digits in words joined by single hyphens, "
                         f"starting with a letter (e.g. ad-click-prediction), got {slug!r}")
    module = slug.replace("-", "_")
    if slug in RESERVED or keyword.iskeyword(module):
        raise ValueError(f"slug {slug!r} is reserved: choose another name")
    return slug


def default_title(slug: str) -> str:
    """``ad-click-prediction`` -> ``Ad click prediction``."""
    return slug.replace("-", " ").capitalize()


def plan(slug: str, title: str) -> dict[str, str]:
    """Path (relative to the root) -> content of every file the case study starts with."""
    module = slug.replace("-", "_")

    def fill(name: str) -> str:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        return text.replace("__TITLE__", title).replace("__SLUG__", slug).replace("__MODULE__", module)

    return {
        f"docs/case-studies/{slug}.md": fill("page.md"),
        f"snippets/case-studies/{slug}/1_data.py": fill("cell.py"),
        f"diagrams/case-studies/{slug}/overview.mmd": fill("overview.mmd"),
        f"diagrams/case-studies/{slug}/serving.mmd": fill("serving.mmd"),
        f"src/casestudies/{module}.py": fill("system.py"),
        f"tests/casestudies/test_{module}.py": fill("test.py"),
    }


def _nav_pages(items) -> list[str]:
    """Every page path a nav list mentions, sections included."""
    found = []
    for item in items or []:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found.extend(_nav_pages(value) if isinstance(value, list) else [value])
    return found


def add_to_nav(text: str, page: str) -> str:
    """``text`` (a .nav.yml) with ``- page`` appended to its top-level ``nav`` list."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict) or not isinstance(data.get("nav"), list):
        raise ValueError(f"{NAV} has no top-level 'nav:' list to add {page} to")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^nav\s*:", line))
    indent, last = None, start
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break                                   # the next top-level key
        item = re.match(r"^(\s*)- ", line)
        if item and indent is None:
            indent = item.group(1)
        last = i
    lines.insert(last + 1, f"{indent if indent is not None else '  '}- {page}")
    out = "\n".join(lines) + "\n"
    if page not in _nav_pages(yaml.safe_load(out)["nav"]):
        raise ValueError(f"could not add {page} to {NAV}: add it by hand")
    return out


def create(slug: str, title: str | None = None, root: Path = ROOT) -> list[str]:
    """Create the case study's files under ``root``; return what was created or changed."""
    check_slug(slug)
    title = title.strip() if title else default_title(slug)
    if not title:
        raise ValueError("title must not be empty")
    nav_path = root / NAV
    if not nav_path.is_file():
        raise FileNotFoundError(f"{nav_path} not found: is {root} the handbook's root?")
    files = plan(slug, title)
    nav_text = nav_path.read_text(encoding="utf-8")
    taken = [rel for rel in files if (root / rel).exists()]
    taken += [f"snippets/case-studies/{slug}/", f"diagrams/case-studies/{slug}/"]
    taken = [rel for rel in dict.fromkeys(taken) if (root / rel).exists()]
    if f"{slug}.md" in _nav_pages((yaml.safe_load(nav_text) or {}).get("nav")):
        taken.append(f"{NAV} (already lists {slug}.md)")
    if taken:
        raise FileExistsError(f"case study {slug!r} already exists; nothing was changed. Found: "
                              + ", ".join(taken))
    new_nav = add_to_nav(nav_text, f"{slug}.md")
    written: list[Path] = []
    try:
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            written.append(path)
        nav_path.write_text(new_nav, encoding="utf-8")
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        nav_path.write_text(nav_text, encoding="utf-8")
        raise
    return list(files) + [NAV]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev new", description="Scaffold a new part of the handbook.")
    parser.add_argument("kind", choices=["case-study"], help="what to create")
    parser.add_argument("slug", help="the page's name in lowercase words joined by hyphens, e.g. ad-click-prediction")
    parser.add_argument("--title", help="the page title (default: from the slug, e.g. 'Ad click prediction')")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        created = create(args.slug, args.title, args.root)
    except (ValueError, TypeError, FileExistsError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Case study {args.slug!r} created:")
    for rel in created[:-1]:
        print(f"  created  {rel}")
    print(f"  updated  {created[-1]} (the page is in the navigation)")
    print("Next: ./dev serve, write the page (replace every 'To write' note), grow the system and its "
          "cells, and run ./dev test tests/casestudies tests/snippets -q.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
