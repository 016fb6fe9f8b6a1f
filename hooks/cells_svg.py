"""Charts pre-rendered as SVG at build time: Vega-Lite -> Vega -> SVG under Node, in one batch.

The page shows these SVGs before Python loads (and with JavaScript off). Specs go through the
same ``prepareSpec`` (docs/assets/cells/chart-spec.js) as charts drawn in the page, with the pinned
vega and vega-lite from node_modules. Results are cached by spec in ``.cache/cells/svg/``.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART_SPEC = ROOT / "docs" / "assets" / "cells" / "chart-spec.js"
CACHE = ROOT / ".cache" / "cells" / "svg"

_RENDER = r"""
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
const [input, output, chartSpec] = process.argv.slice(1);
const { prepareSpec } = await import(pathToFileURL(chartSpec).href);
const specs = JSON.parse(readFileSync(input, "utf8"));
const svgs = [];
for (const spec of specs) {
  const compiled = vegaLite.compile(prepareSpec(spec)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  svgs.push(await view.toSVG());
  view.finalize();
}
writeFileSync(output, JSON.stringify(svgs));
"""


class ChartError(Exception):
    pass


def _versions() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock.get("packages", {})
    return ",".join(packages.get(f"node_modules/{n}", {}).get("version", "?") for n in ("vega", "vega-lite"))


def _key(spec: dict, salt: str) -> str:
    return hashlib.sha256((salt + json.dumps(spec, sort_keys=True)).encode()).hexdigest()


def _scope_ids(svg: str, prefix: str) -> str:
    """Make the ids inside one SVG unique on the page (clip paths would otherwise collide)."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})") \
                 .replace(f'href="#{old}"', f'href="#{new}"')
    return svg


_ATTRIBUTE = re.compile(r'(\s[\w:-]+=")([^"]*)(")')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


def _round_coordinates(svg: str) -> str:
    """Coordinates to 2 decimals (Vega writes up to 17 digits): a smaller page, the same drawing.
    Only attribute values change; text such as axis labels and titles stays as Vega wrote it."""
    def attribute(match: re.Match) -> str:
        value = _LONG_NUMBER.sub(lambda m: f"{float(m.group(0)):.2f}".rstrip("0").rstrip("."), match.group(2))
        return match.group(1) + value + match.group(3)
    return _ATTRIBUTE.sub(attribute, svg)


def render_svgs(specs: list[dict]) -> list[str]:
    """One SVG string per spec, in order (cached ones are not rendered again)."""
    salt = _versions() + CHART_SPEC.read_text(encoding="utf-8") + _RENDER
    keys = [_key(s, salt) for s in specs]
    missing = {k: s for k, s in zip(keys, specs) if not (CACHE / f"{k}.svg").is_file()}
    if missing:
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
            src.write_text(json.dumps(list(missing.values())), encoding="utf-8")
            proc = subprocess.run(["node", "--input-type=module", "-e", _RENDER, "--", str(src), str(dst),
                                   str(CHART_SPEC)], cwd=ROOT, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise ChartError(f"rendering {len(missing)} chart(s) with vega under Node failed:\n{proc.stderr}")
            for key, svg in zip(missing, json.loads(dst.read_text(encoding="utf-8"))):
                (CACHE / f"{key}.svg").write_text(svg, encoding="utf-8")
    return [_round_coordinates(_scope_ids((CACHE / f"{k}.svg").read_text(encoding="utf-8"), "c" + k[:10]))
            for k in keys]
