"""Generate the API reference: one page per module of ``mlsd`` and ``casestudies``, its index and nav.

Nobody writes an API page by hand: a new module (or a module turned into a package) appears in
the reference, the index table and the navigation at the next build. The modules are found by
reading ``src/`` (no import), with the rules Python uses to import them:

- a public module ``mlsd/x.py`` gets the page ``reference/api/x.md`` (dots and underscores become
  hyphens: ``mlsd.two_tower`` → ``two-tower.md``, ``mlsd.data.recsys`` → ``data-recsys.md``,
  ``casestudies.memo`` → ``casestudies-memo.md``). Names starting with ``_`` are private: no page.
- a package whose ``__init__.py`` defines or imports names (its API, e.g. ``mlsd.ranking``) gets
  one page that shows its submodules too, under the same URL a module of that name had;
- a package whose ``__init__.py`` holds only a docstring (a folder of modules, e.g. ``mlsd.data``)
  gets a page with its docstring and a table of its modules, and each module gets its own page.

Each page is the module's name as title, the first paragraph of its docstring as the page
description, and a ``::: module`` block that mkdocstrings renders (the docstring, then the API).
``reference/api/index.md`` stays hand-written; its ``<!-- api-modules -->`` line becomes the table
of modules (name and docstring summary). The folder's ``.nav.yml`` is generated too, so
mkdocs-awesome-nav lists every page.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# Documented packages, in the order of the index; the library's own page is the hand-written index.
PACKAGES = ("mlsd", "casestudies")
LIBRARY = "mlsd"
FOLDER = "reference/api"
INDEX = f"{FOLDER}/index.md"
NAV = f"{FOLDER}/.nav.yml"
TABLE_MARKER = "<!-- api-modules -->"
CASE_STUDIES = "casestudies"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|obj|exc):`~?([^`]+)`")

_state: dict = {}


@dataclass(frozen=True)
class Module:
    name: str              # dotted name, e.g. "mlsd.data.recsys"
    source: Path           # the module's file (a package's __init__.py)
    kind: str              # "module", "package" (shows its submodules) or "folder" (pages per module)
    summary: str           # first paragraph of the docstring, as Markdown on one line
    children: tuple = ()   # dotted names of the modules listed on a folder's page

    @property
    def page(self) -> str:
        """The page's path under docs/, stable for a given dotted name."""
        parts = self.name.split(".")
        if parts[0] == LIBRARY:
            parts = parts[1:]
        return f"{FOLDER}/{'-'.join(parts).replace('_', '-')}.md"


def _summary(tree: ast.Module) -> str:
    doc = ast.get_docstring(tree) or ""
    first = " ".join(doc.strip().split("\n\n")[0].split())
    first = _ROLE.sub(lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", first)
    return first.replace("``", "`")


def _has_api(tree: ast.Module) -> bool:
    """True when an ``__init__`` does more than hold a docstring (and ``from __future__``)."""
    for i, node in enumerate(tree.body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        return True
    return False


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as error:
        raise PluginError(f"API reference: cannot read {path}: {error}") from None


def _children(folder: Path) -> list[tuple[str, Path, bool]]:
    """(name, path, is_package) of the public modules in a package folder; a package wins over a
    module of the same name, as in Python's import system."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            found[path.name] = (path, True)
        elif path.suffix == ".py" and path.name != "__init__.py":
            found.setdefault(path.stem, (path, False))
    return [(name, path, is_pkg) for name, (path, is_pkg) in sorted(found.items())
            if not name.startswith("_") and _IDENTIFIER.match(name)]


def _walk(folder: Path, dotted: str, root: bool) -> list[Module]:
    init = _parse(folder / "__init__.py")
    if not root and _has_api(init):
        return [Module(dotted, folder / "__init__.py", "package", _summary(init))]
    modules: list[Module] = []
    names = []
    for name, path, is_pkg in _children(folder):
        child = f"{dotted}.{name}"
        names.append(child)
        if is_pkg:
            modules.extend(_walk(path, child, root=False))
        else:
            modules.append(Module(child, path, "module", _summary(_parse(path))))
    if root and dotted == LIBRARY:
        return modules  # the library's page is the hand-written index
    return [Module(dotted, folder / "__init__.py", "folder", _summary(init), tuple(names))] + modules


def discover(src: Path = SRC, packages: tuple[str, ...] = PACKAGES) -> list[Module]:
    """Every module that gets a page, package by package, each package's modules sorted by name."""
    modules: list[Module] = []
    for package in packages:
        if not (src / package / "__init__.py").is_file():
            raise PluginError(f"API reference: package {src / package} not found")
        modules.extend(_walk(src / package, package, root=True))
    pages: dict[str, str] = {}
    for module in modules:
        if module.page in pages:
            raise PluginError(f"API reference: {module.name} and {pages[module.page]} would both be "
                              f"documented on {module.page}; rename one of them")
        pages[module.page] = module.name
    return modules


# --- rendering ----------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def module_table(modules: list[Module], case_study_pages: set[str] = frozenset()) -> str:
    """A Markdown table of the modules: name (linked to its page) and the docstring's summary."""
    rows = ["| module | what it is for |", "|---|---|"]
    for module in modules:
        summary = module.summary
        slug = module.name.split(".", 1)[1].replace("_", "-") if module.name.startswith(f"{CASE_STUDIES}.") else ""
        if slug and f"case-studies/{slug}.md" in case_study_pages:
            summary += f" The page: [{slug}](../../case-studies/{slug}.md)."
        rows.append(f"| [`{module.name}`]({module.page.rsplit('/', 1)[-1]}) | {_cell(summary)} |")
    return "\n".join(rows) + "\n"


def render_page(module: Module, modules: dict[str, Module] | None = None,
                case_study_pages: set[str] = frozenset()) -> str:
    description = re.sub(r"[`*]", "", module.summary)
    options = ["      show_root_heading: false"]
    if module.kind != "module":
        options.append(f"      show_submodules: {'true' if module.kind == 'package' else 'false'}")
    parts = [f"---\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n\n",
             f"# `{module.name}`\n\n",
             f"::: {module.name}\n    options:\n" + "\n".join(options) + "\n"]
    if module.kind == "folder" and module.children:
        children = [(modules or {}).get(name) for name in module.children]
        parts.append("\n## Modules\n\n" + module_table([c for c in children if c], case_study_pages))
    return "".join(parts)


def render_index_tables(modules: list[Module], case_study_pages: set[str] = frozenset()) -> str:
    """The index's tables: one per documented package."""
    out = []
    for package in PACKAGES:
        members = [m for m in modules if m.name == package or m.name.startswith(f"{package}.")]
        out.append(f"### `{package}`\n\n" + module_table(members, case_study_pages))
    return "\n".join(out)


def render_nav(modules: list[Module]) -> str:
    """The folder's .nav.yml for mkdocs-awesome-nav: the index, then every page under its name."""
    lines = ["# Generated by hooks/api_reference.py at build time.", "nav:", "  - index.md"]
    for module in modules:
        lines.append(f"  - {json.dumps(module.name)}: {module.page.rsplit('/', 1)[-1]}")
    return "\n".join(lines) + "\n"


# --- hooks --------------------------------------------------------------------------------------

def on_files(files, config, **kwargs):
    modules = discover()
    by_name = {m.name: m for m in modules}
    case_study_pages = {f.src_uri for f in files.documentation_pages() if f.src_uri.startswith("case-studies/")}
    written = [m.page for m in modules if files.get_file_from_path(m.page)] + \
              ([NAV] if files.get_file_from_path(NAV) else [])
    if written:
        raise PluginError("API reference: these files are generated from src/ and must not exist in "
                          "docs/: " + ", ".join(f"docs/{p}" for p in written))
    if not files.get_file_from_path(INDEX):
        raise PluginError(f"API reference: docs/{INDEX} is missing (the hand-written introduction)")
    for module in modules:
        files.append(File.generated(config, module.page,
                                    content=render_page(module, by_name, case_study_pages)))
    files.append(File.generated(config, NAV, content=render_nav(modules),
                                inclusion=InclusionLevel.EXCLUDED))
    _state.clear()
    _state.update(modules=modules, case_study_pages=case_study_pages,
                  sources={m.page: m.source for m in modules})
    return files


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    if page.file.src_uri != INDEX:
        return markdown
    if TABLE_MARKER not in markdown:
        raise PluginError(f"API reference: docs/{INDEX} must contain the line {TABLE_MARKER}, where the "
                          "table of modules goes")
    return markdown.replace(TABLE_MARKER, render_index_tables(_state["modules"], _state["case_study_pages"]))


def on_page_context(context, page, config, nav, **kwargs):
    # A generated page has no Markdown source: "edit this page" opens the module's source instead.
    source = _state.get("sources", {}).get(page.file.src_uri)
    if source is not None and config.get("repo_url"):
        rel = source.relative_to(ROOT).as_posix()
        page.edit_url = f"{config['repo_url'].rstrip('/')}/blob/main/{rel}"
    return context
