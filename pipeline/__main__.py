"""Command line: `python -m pipeline extract | evaluate | ...` (`--help` on each)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .config import BATCH_SIZE, DEFAULT_GOLD, DEFAULT_INPUT, DEFAULT_OUTPUT
from .evaluate import RELATION_TYPES

DESCRIPTION = """\
French-language information extraction for arms transfers and military cooperation.

Reads French news articles (UTF-8 .txt files), finds persons, organisations, places, weapon
systems, amounts of money, dates and durations, normalises them (ISO 3166 countries,
ISO 4217 amounts, TIMEX3 dates, ISO 8601 durations) and extracts relations (arms transfers,
agreements, meetings, roles). Output: documents.jsonl, entities.jsonl, relations.jsonl as
described in outputs/README.md of the repository. Every command names the outputs folder --out. Typical use:

  arms-extract extract seeds/ --out outputs/       (or: python -m pipeline extract ...)
  arms-extract evaluate --out outputs/ --gold tests/gold/
"""


def build_parser() -> argparse.ArgumentParser:
    prog = "python -m pipeline" if sys.argv[0].endswith("__main__.py") else "arms-extract"
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    extract.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="local: this machine (spaCy n_process = --workers); dask: a Dask cluster, "
                              "a local one of --workers processes unless --scheduler is given (default local)")
    extract.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="with --engine dask: address of a running scheduler (tcp://host:8786); "
                              "every worker needs the project installed and the input files at the same path")
    extract.add_argument("--follow-symlinks", action="store_true",
                         help="in folders, also read symbolic links that lead out of the folder "
                              "(by default they are skipped with a warning)")
    extract.add_argument("--quiet", action="store_true",
                         help="no progress bar, no summary and no message while the model loads")

    evaluate = commands.add_parser(
        "evaluate", help="score outputs against a gold annotation",
        description="Print the scoring table: per entity label, precision, recall and "
                    "F1 (lenient: overlapping spans; strict: equal offsets) and normalisation "
                    "accuracy; per relation type, P, R, F1 and attribute accuracy.")
    evaluate.add_argument("--out", "--pred", dest="out", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                          help=f"folder with the predicted JSONL files (default: {DEFAULT_OUTPUT}/; "
                               "--pred is the former name)")
    evaluate.add_argument("--gold", type=Path, default=DEFAULT_GOLD, metavar="DIR",
                          help=f"folder with the gold JSONL files (default: {DEFAULT_GOLD}/)")
    evaluate.add_argument("--details", choices=RELATION_TYPES, default=None, metavar="TYPE",
                          help="also list, per document, the relations of this type matched (with the "
                               "attributes that differ), missed and spurious: "
                               + ", ".join(RELATION_TYPES))

    export = commands.add_parser(
        "export", help="write the outputs as flat CSV or Parquet tables",
        description="Flatten documents, entities, relations and deals (as `pipeline.load` does) "
                    "and write one table each as CSV (UTF-8, lists as JSON) or Parquet (one "
                    "explicit schema for every run).")
    export.add_argument("--format", choices=("csv", "parquet", "duckdb", "graphml"), default="csv",
                        help="csv or parquet (a file per table), duckdb (one database with the tables and "
                             "a deal_sources view), graphml (countries as nodes, deals as edges); default csv")
    export.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"folder with the JSONL outputs (default: {DEFAULT_OUTPUT}/)")
    export.add_argument("--pred", type=Path, default=None, metavar="DIR",
                        help="the former name of --out")
    export.add_argument("--to", type=Path, default=None, metavar="DIR",
                        help="destination folder (default: <out>/<format>/)")
    export.add_argument("--french", action="store_true",
                        help="CSV for a French-locale spreadsheet: `;` separator, decimal comma, UTF-8 BOM")

    register = commands.add_parser(
        "register", help="merge several runs' outputs into one deal register (deals.jsonl)",
        description="Read the arms_transfer relations of one or more output folders and write "
                    "DIR/deals.jsonl: one line per deal across all their documents (the same "
                    "register `extract` writes for one run; policy in rules/register.yaml). A "
                    "document met in an earlier folder is taken from there only.")
    register.add_argument("dirs", nargs="+", type=Path, metavar="OUTPUT_DIR",
                          help="output folders of extract runs")
    register.add_argument("--out", type=Path, required=True, metavar="DIR",
                          help="destination folder of deals.jsonl, created if needed")

    report = commands.add_parser(
        "report", help="write report.html, one page to inspect every document",
        description="A self-contained HTML page: each document with its entities highlighted, "
                    "its DCT, warnings, and a table of its relations with their evidence.")
    report.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                        help=f"folder with the JSONL outputs; report.html is written there (default: {DEFAULT_OUTPUT}/)")

    validate = commands.add_parser(
        "validate", help="check outputs against the JSON Schemas and the texts",
        description="Validate every line of the three JSONL files against schemas/*.json and "
                    "check offsets against the input texts. Exit status 1 if anything is wrong.")
    validate.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                          help=f"folder with the JSONL outputs (default: {DEFAULT_OUTPUT}/)")

    peers = commands.add_parser(
        "peers", help="pass rates on other projects' French money and date test suites",
        description="Run our money and date normalisers on Microsoft Recognizers-Text's and "
                    "Duckling's French test cases (tests/external/) and print, per file, the cases "
                    "in scope, passed, failed, what is out of scope, and the failures.")
    peers.add_argument("external", nargs="?", type=Path, default=Path("tests/external"), metavar="DIR")
    return parser


INTERRUPTED = 130


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_extract(args: argparse.Namespace) -> int:
    from .interrupt import interruptible
    from .lock import OutputBusy, output_lock
    from .read import InputError, scan_inputs
    from .write import check_writable
    if (reason := unusable_extract_arguments(args)) is not None:
        return fail(reason)
    # SIGTERM and Ctrl-C end the run (workers included): OutputWriter drops its temporary
    # files and the previous outputs stay as they were.
    try:
        with interruptible():
            plan = scan_inputs(args.paths, args.follow_symlinks)  # scanned once, for this check and for the run
            if not plan.files:
                return fail("no .txt file found in " + ", ".join(map(str, args.paths)))
            if (reason := check_writable(args.out)) is not None:
                return fail(reason)
            with output_lock(args.out):
                summary = _run_extract(args, plan)
    except (InputError, OutputBusy, OSError) as error:
        return fail(str(error))
    except KeyboardInterrupt:
        print("error: interrupted; the previous outputs are left as they were", file=sys.stderr)
        return INTERRUPTED
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
        print(f"outputs: {args.out}/", file=sys.stderr)
    return 0


def _run_extract(args: argparse.Namespace, plan):
    """The run itself, on the chosen engine; its Summary."""
    if args.engine == "dask":
        from .distributed import run_extract_dask
        return run_extract_dask(args.paths, args.out, args.metadata, scheduler=args.scheduler,
                                workers=args.workers, batch_size=args.batch_size,
                                progress=not args.quiet, plan=plan)
    from .extract import run_extract
    return run_extract(args.paths, args.out, args.metadata, workers=args.workers,
                       batch_size=args.batch_size, progress=not args.quiet, plan=plan)


def unusable_extract_arguments(args: argparse.Namespace) -> str | None:
    """Why the `extract` options cannot be used (None when they can), before anything runs."""
    for option, value in (("--batch-size", args.batch_size), ("--workers", args.workers)):
        if value < 1:
            return f"{option} must be at least 1 (got {value})"
    if args.scheduler and args.engine != "dask":
        return "--scheduler needs --engine dask"
    return None


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_dirs, relation_details
    for folder, name in ((args.out, "entities.jsonl"), (args.gold, "entities.jsonl")):
        if not (folder / name).exists():
            return fail(f"{folder / name} does not exist")
    print(evaluate_dirs(args.out, args.gold).table())
    if args.details:
        print()
        print(relation_details(args.out, args.gold, args.details))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export
    if args.pred is not None and args.out is not None:
        # the former spelling `--pred DIR --out DEST`: --out now names the outputs folder
        return fail("--pred is the former name of --out; give the outputs folder as --out "
                    "and the destination as --to")
    try:
        paths = export(args.out or args.pred or DEFAULT_OUTPUT, args.format, args.to, french=args.french)
    except (FileNotFoundError, ValueError) as error:
        return fail(str(error))
    for path in paths:
        print(path)
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    from .register import write_register
    warnings: list[str] = []
    try:
        path, count = write_register(args.dirs, args.out, warnings)
    except (FileNotFoundError, ValueError, OSError) as error:
        return fail(str(error))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{path}: {count} deal(s)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report
    try:
        print(write_report(args.out))
    except (FileNotFoundError, ValueError) as error:
        return fail(str(error))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .schemas import validate_dir
    errors = validate_dir(args.out, require_text=True)
    for error in errors:
        print(error)
    print(f"{len(errors)} problem(s) in {args.out}/", file=sys.stderr)
    return 1 if errors else 0


def cmd_peers(args: argparse.Namespace) -> int:
    from .peers.__main__ import main as peers_main
    return peers_main([str(args.external)])


COMMANDS = {"extract": cmd_extract, "evaluate": cmd_evaluate, "export": cmd_export, "register": cmd_register,
            "report": cmd_report, "validate": cmd_validate, "peers": cmd_peers}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    status = main()
    if status == INTERRUPTED:
        # The outputs are settled; leave without the interpreter's exit joins, which could
        # wait on the pipes of worker processes stopped mid-run (pipeline/interrupt.py).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
