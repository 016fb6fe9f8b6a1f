"""A MkDocs ``Files`` collection built from page texts, for tests that call a hook's ``on_files``."""

from __future__ import annotations

from mkdocs.structure.files import File, Files


def files_from(pages: dict[str, str]) -> Files:
    """One documentation page per ``{src_uri: markdown}`` entry, with its text already read."""
    files = []
    for uri, text in pages.items():
        file = File(uri, src_dir=None, dest_dir="site", use_directory_urls=True)
        file.content_string = text
        files.append(file)
    return Files(files)
