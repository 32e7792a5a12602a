"""Front-end files from npm (DESIGN.md decision 11: from npm at set-up, never
from a CDN, never committed). `make install` runs `npm ci` and then this
script, which copies what the pages load from node_modules/ into
web/static/vendor/ and bundles the studio's editors (web/studio_src/*.js:
bpmn-js with the Camunda properties panel, dmn-js) with esbuild, which is
itself a pinned npm package. Run on its own: `python web/vendor.py`.

The pages check `missing()` before loading a file from here, so the app
runs without them (the case map then says why it is not shown)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"

# (file or folder under node_modules, where it goes under web/static/vendor)
COPIES = [
    ("bpmn-js/dist/bpmn-navigated-viewer.production.min.js", "bpmn-js/bpmn-navigated-viewer.production.min.js"),
    ("bpmn-js/dist/assets/diagram-js.css", "bpmn-js/assets/diagram-js.css"),
    ("bpmn-js/dist/assets/bpmn-js.css", "bpmn-js/assets/bpmn-js.css"),
    ("bpmn-js/dist/assets/bpmn-font", "bpmn-js/assets/bpmn-font"),
    ("bpmn-js/LICENSE", "bpmn-js/LICENSE"),
    ("chart.js/dist/chart.umd.min.js", "chart.js/chart.umd.min.js"),
    ("chart.js/LICENSE.md", "chart.js/LICENSE.md"),
    ("@bpmn-io/properties-panel/dist/assets/properties-panel.css", "studio/properties-panel.css"),
    ("dmn-js/dist/assets", "studio/dmn-js"),
    ("bpmn-js-properties-panel/LICENSE", "studio/LICENSE-bpmn-js-properties-panel"),
    ("dmn-js/LICENSE", "studio/LICENSE-dmn-js"),
]
# Studio bundles: each web/studio_src/studio-<name>.js becomes studio/studio-<name>.js, an
# IIFE that sets window globals (the pages stay plain scripts, no build at run time).
STUDIO_SRC = Path(__file__).resolve().parent / "studio_src"
STUDIO_FILES = ("studio/studio-bpmn.js", "studio/studio-dmn.js", "studio/properties-panel.css")
# What the case map loads (paths under web/static/vendor).
CASEMAP_FILES = ("bpmn-js/bpmn-navigated-viewer.production.min.js", "bpmn-js/assets/diagram-js.css",
                 "bpmn-js/assets/bpmn-js.css")
# What the dashboard's charts load.
CHART_FILES = ("chart.js/chart.umd.min.js",)


def missing(files=CASEMAP_FILES, vendor_dir: Path | None = None) -> list[str]:
    """The files of `files` not (yet) copied."""
    base = vendor_dir or VENDOR_DIR
    return [name for name in files if not (base / name).is_file()]


def copy(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    absent = [source for source, _ in COPIES if not (node_modules / source).exists()]
    if absent:
        raise SystemExit(f"not in {node_modules}: {', '.join(absent)} (run `npm ci` first)")
    written = []
    for source, target in COPIES:
        src, dst = node_modules / source, vendor_dir / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
        written.append(dst)
    return written


def bundle(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    esbuild = node_modules / ".bin" / "esbuild"
    written = []
    for entry in sorted(STUDIO_SRC.glob("studio-*.js")):  # entries; other files are their modules
        out = vendor_dir / "studio" / entry.name
        subprocess.run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife",
                        "--log-level=warning", f"--outfile={out}"], check=True, cwd=ROOT)
        written.append(out)
    return written


if __name__ == "__main__":
    for path in copy() + bundle():
        print(path.relative_to(ROOT), file=sys.stderr)
