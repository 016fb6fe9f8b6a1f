"""Copy the pinned front-end packages the site needs from node_modules/ into the built site.

Nothing is fetched from another origin at run time: Pyodide, Mermaid and the chart and editor
libraries are served from ``<site>/assets/vendor/``. The versions are the ones pinned in
package-lock.json; a missing file fails the build loudly (run ``npm ci``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

# destination folder under assets/vendor/  ->  files, relative to node_modules/
# (Charts and the cell editor are not copied here: hooks/cells_assets.py bundles vega-embed and
# CodeMirror from node_modules with esbuild, since vega-interpreter ships only as an ES module.)
VENDOR: dict[str, list[str]] = {
    "pyodide": [
        "pyodide/pyodide.mjs",
        "pyodide/pyodide.asm.mjs",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "pyodide/pyodide-lock.json",
    ],
    "mermaid": ["mermaid/dist/mermaid.min.js"],
}


# --- hooks --------------------------------------------------------------------------------------

def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"]) / "assets" / "vendor"
    for folder, files in VENDOR.items():
        for rel in files:
            src = NODE_MODULES / rel
            if not src.is_file():
                raise FileNotFoundError(
                    f"{src} is missing: the site self-hosts it. Run `npm ci` (./dev does it for you).")
            dest = site / folder / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists() or dest.stat().st_mtime < src.stat().st_mtime \
                    or dest.stat().st_size != src.stat().st_size:
                shutil.copy2(src, dest)
