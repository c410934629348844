"""Copy the front-end libraries installed by npm into static/vendor/ (never committed)."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "chart.js/dist/chart.umd.min.js": "chartjs/chart.umd.min.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("Missing front-end files (run `npm ci`):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    for src, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
        # A file that ends with a sourceMappingURL comment needs its map next to it:
        # production's collectstatic (manifest storage) fails on a missing one.
        source_map = NODE / f"{src}.map"
        if source_map.exists():
            shutil.copyfile(source_map, target.with_name(f"{target.name}.map"))
    print(f"Copied {len(FILES)} front-end files into {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
