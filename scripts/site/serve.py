#!/usr/bin/env python3
"""Build the site (the exact Pages artefact, in _site/) and serve it on 127.0.0.1.

    python3 scripts/site/serve.py [--port 8000] [--prefix /softmax-digits/]

Prints the URL; Ctrl+C stops it. Run scripts/site/vendor_runtime.py first (`make serve` does).
After the first visit a service worker serves the site from its cache: a rebuilt site is
picked up once every tab of the old one is closed (or with Shift+Reload).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from website import ROOT, BuildError, build, make_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--prefix", default="/", help="serve under this sub-path, like Pages")
    args = parser.parse_args()
    try:
        site = build(ROOT / "_site")
    except (BuildError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    try:
        server = make_server(site, port=args.port, prefix=args.prefix)
    except OSError as err:
        print(f"cannot listen on 127.0.0.1:{args.port}: {err}. Try --port 0.", file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    print(f"Softmax Digits is served at http://{host}:{port}{server.prefix}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
