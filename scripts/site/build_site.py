#!/usr/bin/env python3
"""Build the GitHub Pages artefact: exactly the public files, runtime included.

    python3 scripts/site/build_site.py [--out _site]

The Pages workflow uploads this folder; e2e/test_site.py serves the same build under a sub-path
and proves every URL the page loads resolves inside it.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from website import ROOT, BuildError, build  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site")
    parser.add_argument(
        "--repository",
        help="owner/name the guides link to (default: $GITHUB_REPOSITORY, set by GitHub Actions)",
    )
    args = parser.parse_args()
    try:
        out = build(args.out, repository=args.repository)
    except (BuildError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"built {out}: {len(files)} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
