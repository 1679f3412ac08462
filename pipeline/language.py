"""Is a short text French? lingua-language-detector among a few languages (rules/language.yaml).

The function-word share of pipeline/read.py needs about 30 words; a shorter text (a wire
brief, a caption) is judged here. The detector is built on first use, once per process,
with the models of the listed languages only (they ship inside lingua's wheel: offline).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .lexicons import read_yaml, rules_path


@dataclass(frozen=True)
class LanguageRules:
    languages: tuple[str, ...]
    min_words: int
    examples: tuple[tuple[str, bool], ...]


@functools.lru_cache(maxsize=4)
def load_language_rules(rules_dir: Path | None = None) -> LanguageRules:
    """rules/language.yaml, checked: known lingua languages with FRENCH, min_words >= 1."""
    from lingua import Language
    path = rules_path("language.yaml", rules_dir=rules_dir)
    data = read_yaml(path)
    languages = tuple(data.get("languages") or ())
    unknown = [name for name in languages if not hasattr(Language, str(name))]
    if unknown or "FRENCH" not in languages:
        raise ValueError(f"{path}: languages must be lingua Language names including FRENCH "
                         f"(unknown: {unknown})")
    min_words = data.get("min_words")
    if not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"{path}: min_words must be an integer >= 1, not {min_words!r}")
    examples = tuple((str(e["text"]), bool(e["french"])) for e in data.get("examples") or ())
    if not examples:
        raise ValueError(f"{path}: give examples (text, french)")
    return LanguageRules(languages, min_words, examples)


@functools.lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder
    return (LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in languages))
            .with_preloaded_language_models().build())


def short_text_language(text: str, n_words: int, rules: LanguageRules | None = None) -> str | None:
    """The language of a short text when it is not French (`ENGLISH`...), else None (French,
    too short to judge, or undecided)."""
    rules = rules or load_language_rules()
    if n_words < rules.min_words:
        return None
    found = _detector(rules.languages).detect_language_of(text)
    return None if found is None or found.name == "FRENCH" else found.name
