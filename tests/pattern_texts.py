"""Texts to compare pattern matchers on (not a test module): the seeds, the dev articles and
the example sentence of every pattern in rules/patterns/."""
from __future__ import annotations

from pathlib import Path

from pipeline.components import PATTERN_FILES
from pipeline.lexicons import load_patterns

ROOT = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[str]:
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "dev" / "texts").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    texts += [example.split(" => ")[0] for name in PATTERN_FILES for rule in load_patterns(name)
              for example in rule.examples]
    return texts
