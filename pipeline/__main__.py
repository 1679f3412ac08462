"""Command line: `python -m pipeline extract | evaluate | ...` (`--help` on each)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import BATCH_SIZE, DEFAULT_GOLD, DEFAULT_INPUT, DEFAULT_OUTPUT

DESCRIPTION = """\
French-language information extraction for arms transfers and military cooperation.

Reads French news articles (UTF-8 .txt files), finds persons, organisations, places, weapon
systems, amounts of money, dates and durations, normalises them (ISO 3166 countries,
ISO 4217 amounts, TIMEX3 dates, ISO 8601 durations) and extracts relations (arms transfers,
agreements, meetings, roles). Output: documents.jsonl, entities.jsonl, relations.jsonl as
described in SCHEMA.md. Typical use:

  python -m pipeline extract seeds/ --out outputs/
  python -m pipeline evaluate --pred outputs/ --gold tests/gold/
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    extract = commands.add_parser(
        "extract", help="extract entities and relations from articles",
        description="Run the pipeline on .txt files or folders (searched recursively) and write "
                    "documents.jsonl, entities.jsonl and relations.jsonl into --out. The outputs "
                    "are replaced only when the run completes; an interrupted run leaves the "
                    "previous ones intact.")
    extract.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_INPUT], metavar="PATH",
                         help=f"files or folders of .txt articles (default: {DEFAULT_INPUT}/)")
    extract.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                         help=f"output folder, created if needed (default: {DEFAULT_OUTPUT}/)")
    extract.add_argument("--metadata", type=Path, default=None, metavar="CSV",
                         help="CSV with columns doc_id,published (YYYY, YYYY-MM or YYYY-MM-DD): "
                              "publication dates that relative dates are resolved against")
    extract.add_argument("--workers", type=int, default=1, metavar="N",
                         help="processes for the statistical model (spaCy n_process; default 1)")
    extract.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                         help=f"documents per nlp.pipe batch (default {BATCH_SIZE})")
    extract.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    evaluate = commands.add_parser(
        "evaluate", help="score outputs against a gold annotation",
        description="Print the SCHEMA.md scoring table: per entity label, precision, recall and "
                    "F1 (lenient: overlapping spans; strict: equal offsets) and normalisation "
                    "accuracy; per relation type, P, R, F1 and attribute accuracy.")
    evaluate.add_argument("--pred", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                          help=f"folder with the predicted JSONL files (default: {DEFAULT_OUTPUT}/)")
    evaluate.add_argument("--gold", type=Path, default=DEFAULT_GOLD, metavar="DIR",
                          help=f"folder with the gold JSONL files (default: {DEFAULT_GOLD}/)")
    return parser


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import run_extract
    from .read import InputError, list_input_files
    try:
        if not list_input_files(args.paths):
            return fail("no .txt file found in " + ", ".join(map(str, args.paths)))
        summary = run_extract(args.paths, args.out, args.metadata, workers=args.workers,
                              batch_size=args.batch_size, progress=not args.quiet)
    except InputError as error:
        return fail(str(error))
    except PermissionError as error:
        return fail(f"cannot write to {args.out}: {error.strerror}")
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
        print(f"outputs: {args.out}/", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_dirs
    for folder, name in ((args.pred, "entities.jsonl"), (args.gold, "entities.jsonl")):
        if not (folder / name).exists():
            return fail(f"{folder / name} does not exist")
    print(evaluate_dirs(args.pred, args.gold).table())
    return 0


COMMANDS = {"extract": cmd_extract, "evaluate": cmd_evaluate}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
