"""Compiled expressions kept between runs (pipeline/regex_cache.py): a later start gets from
`re.compile` the pattern built from the stored program, equal to the one `re` would compile,
and anything unexpected costs only the time."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from re import _compiler

import pytest

from pipeline import regex_cache, rule_cache
from pipeline.rule_cache import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
# a pattern no other code compiles, with a group, a named group, inline flags and a class
PATTERN = r"(?iu)^(?:porte|lance)[-\u2010](?P<tail>avions?|roquettes?)\s*(\d+)?[a-zà-ÿ]*$"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    forget(PATTERN)
    yield tmp_path / "cache"
    forget(PATTERN)


def forget(pattern: str) -> None:
    for key in [key for key in re._cache if key[1] == pattern]:
        del re._cache[key]


def test_a_later_start_gets_the_stored_pattern_from_re_compile(cache, monkeypatch):
    compiled = re.compile(PATTERN)
    regex_cache.keep({}, [compiled])
    forget(PATTERN)  # as in a new process

    programs = regex_cache.prime()
    assert (PATTERN, 0) in programs
    compile_as_usual = _compiler.compile
    monkeypatch.setattr(_compiler, "compile", lambda *args: pytest.fail("compiled again"))
    primed = re.compile(PATTERN)
    assert primed is not compiled and primed == compiled == compile_as_usual(PATTERN, 0)
    assert primed.groupindex == {"tail": 1} and primed.groups == 2 and primed.flags == compiled.flags
    for text in ("Porte-avions", "lance\u2010roquettes 40mm", "porte-char"):
        assert bool(primed.match(text)) == bool(compiled.match(text))
    assert primed.match("LANCE-ROQUETTES 12").groups() == ("ROQUETTES", "12")


def test_nothing_is_stored_again_when_nothing_is_new(cache, monkeypatch):
    regex_cache.keep({}, [re.compile(PATTERN)])
    programs = regex_cache.prime()
    monkeypatch.setattr(rule_cache, "keep", lambda *args: pytest.fail("stored again"))
    regex_cache.keep(programs, [re.compile(PATTERN)])


def test_a_pattern_compiled_with_flags_is_not_kept(cache):
    regex_cache.keep({}, [re.compile(r"porte-avions", re.IGNORECASE)])
    assert regex_cache.prime() == {}  # re.compile(pattern) with no flags would be another pattern


def test_an_unreadable_cache_costs_only_the_time(cache):
    regex_cache.keep({}, [re.compile(PATTERN)])
    stored, = cache.glob("regex-*.pickle")
    stored.write_bytes(b"not a pickle")
    forget(PATTERN)
    assert regex_cache.prime() == {}
    assert re.compile(PATTERN).match("porte-avions")


def test_programs_of_another_python_are_not_read(cache, monkeypatch):
    regex_cache.keep({}, [re.compile(PATTERN)])
    monkeypatch.setattr(regex_cache, "version_key", lambda: "another python")
    assert regex_cache.prime() == {}


def test_importing_the_pipeline_leaves_spacys_french_data_to_build_nlp():
    """spaCy's French data compiles token_match on import: imported before `build_nlp` primes
    `re`'s cache, it would compile it again (the import a module-level
    `from spacy.lang.fr... import` would make)."""
    code = ("import sys, pipeline.__main__, pipeline.extract, pipeline.nlp, pipeline.api, pipeline.components; "
            "print(sorted(name for name in sys.modules if name.startswith('spacy.lang.fr')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
