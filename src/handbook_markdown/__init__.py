"""Python-Markdown extensions of the handbook's own, listed under ``markdown_extensions`` in
mkdocs.yml (so any tool that reads that list applies them, not only MkDocs' hooks).

- ``handbook_markdown.checklists``: every checklist box gets an accessible name.

Build-time tools only: not part of the library shipped to the browser.
"""
