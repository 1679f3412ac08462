"""Every path and setting of the pipeline, named once. Nothing happens on import."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The data folder `name` (`rules` or `schemas`). An installed wheel holds it inside the
    package, at pipeline/data/<name> (pyproject.toml maps the top-level folders there); a
    source checkout or an editable install reads the checkout's top-level folder."""
    shipped = files(__package__).joinpath("data", name)
    return Path(str(shipped)) if shipped.is_dir() else PROJECT_DIR / name


RULES_DIR = data_dir("rules")
SCHEMAS_DIR = data_dir("schemas")
DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("outputs")
DEFAULT_GOLD = Path("tests/gold")

MODEL_NAME = "fr_core_news_md"
# Components of the model that the pipeline does not use (none today: the parser feeds
# sentences and relations, the lemmatizer the triggers, the NER the persons and places).
DISABLED_COMPONENTS: tuple[str, ...] = ()
BATCH_SIZE = 32
# The thinc ops the model's networks are built with (name and settings): numpy's matrix product,
# whose BLAS (OpenBLAS, in numpy's wheels) picks its kernels for the processor it runs on,
# instead of thinc's default, blis, whose wheel ran its `generic` kernels on the project's
# machines (`BLIS_ARCH_DEBUG=1` says which): 2.8 times slower products, the model 1.6 times
# slower. The same tags, parses and entities (README, "Speed"). Only `build_nlp` uses it.
MODEL_OPS = "numpy"
MODEL_OPS_SETTINGS = {"use_blis": False}
# Threads of those products in each process while the model runs (pipeline/pieces.py). More
# cores go to more processes (`--workers`): on 2 cores, 2 threads made one process 0-10 %
# faster for half as much CPU again, and 2 workers of 2 threads each 25 % slower than of one.
BLAS_THREADS = 1
# A text longer than PIECE_CHARS characters goes through the model in pieces of at most that
# size, PIECES_PER_BATCH at a time (pipeline/pieces.py): the model's memory grows with the
# characters of a batch (about 3 KB each, measured on fr_core_news_md), so a 30 MB article
# in one batch of pieces went past 12 GB; 2 pieces of 100,000 add about 0.6 GB.
PIECE_CHARS = 100_000
PIECES_PER_BATCH = 2

ENTITY_LABELS = ("PER", "ORG", "LOC", "WEAPON", "MONEY", "DATE", "DURATION")
INPUT_SUFFIX = ".txt"

# The token-pattern files of rules/patterns/ the span finder loads (and the resolver reads contexts of).
PATTERN_FILES = ("money", "dates", "durations", "weapon_nouns", "org_patterns")
# The stages of an arms transfer (SCHEMA.md), from the latest back to talks; then the others.
STATUSES = ("delivered", "ordered", "planned", "negotiating", "alleged", "cancelled")
# The real press articles with gold (SCHEMA.md) given beside the repository; used when present.
DEV_REAL_DIR = PROJECT_DIR.parent / "shared" / "dev_real"
