"""`sandbox <supplier> [--port 0] [--scale N] [--latency-ms MS] [--fault SPEC ...]`

Prints the API's base URL on the first line of stdout, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys

from .faults import __doc__ as FAULTS_DOC
from .registry import SUPPLIERS, make_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sandbox",
        description="Serve a supplier API sandbox on 127.0.0.1.",
        epilog=FAULTS_DOC,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("supplier", choices=sorted(SUPPLIERS))
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--scale", type=int, default=1, help="multiplies the seeded record counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every API response")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC", help="see below; repeatable")
    parser.add_argument("--error-retry-after", type=int, default=None, metavar="S", help="add Retry-After: S to injected 5xx and HTML faults")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr)
    try:
        server = make_server(
            args.supplier, port=args.port, scale=args.scale, seed=args.seed,
            latency_ms=args.latency_ms, faults=args.fault, error_retry_after=args.error_retry_after,
        )
    except ValueError as error:
        parser.error(str(error))
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
