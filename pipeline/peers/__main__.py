"""`python -m pipeline.peers [DIR]`: pass rates of our money and date normalisers on other
projects' French test suites (see pipeline/peers/money.py and dates.py for what is in scope
and what a pass is). Prints one table per kind, the out-of-scope counts and the failures."""
from __future__ import annotations

import sys
from pathlib import Path

from . import dates, money


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    external = Path(args[0]) if args else Path("tests/external")
    if not external.is_dir():
        print(f"error: {external} is not a folder", file=sys.stderr)
        return 2
    print("== money\n" + money.format_table(money.run(external)))
    print("\n== dates\n" + dates.format_table(dates.run(external)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
