"""``python -m bulletin_kit.fonts --fontconfig [--standalone]``: print the fontconfig rules.

Used by ``scripts/setup.sh`` to install ``/etc/fonts/conf.d/60-bulletin-kit.conf``.
"""

from __future__ import annotations

import argparse
import sys

from .fontconfig import fontconfig_aliases


def main(argv: list[str] | None = None) -> int:
    """``python -m bulletin_kit.fonts --fontconfig [--standalone]``: print the fontconfig rules."""
    parser = argparse.ArgumentParser(prog="python -m bulletin_kit.fonts", description=main.__doc__)
    parser.add_argument("--fontconfig", action="store_true", help="print the conf.d snippet")
    parser.add_argument(
        "--standalone", action="store_true", help="a whole fonts.conf for FONTCONFIG_FILE instead"
    )
    args = parser.parse_args(argv)
    if not args.fontconfig:
        parser.print_usage(sys.stderr)
        return 2
    sys.stdout.write(fontconfig_aliases(args.standalone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
