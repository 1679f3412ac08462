"""`python -m pipeline.peers [DIR]`: pass rates of our money and date normalisers on other
projects' French test suites (see pipeline/peers/money.py and dates.py for what is in scope
and what a pass is). Prints one table per kind, the out-of-scope counts and the failures;
then the date cases run black-box through the whole pipeline (through_extract.py), unless
`--direct` is given (the normalisers alone, no model load)."""
from __future__ import annotations

import sys
from pathlib import Path

from . import dates, money


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    direct = "--direct" in args
    args = [arg for arg in args if arg != "--direct"]
    external = Path(args[0]) if args else Path("tests/external")
    if not external.is_dir():
        print(f"error: {external} is not a folder", file=sys.stderr)
        return 2
    print("== money\n" + money.format_table(money.run(external)))
    print("\n== dates\n" + dates.format_table(dates.run(external)))
    if not direct:
        from .through_extract import run_through_extract
        print("\n== dates through extract\n" + dates.format_table(run_through_extract(external)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
