"""The French words the agreement, meeting and role modules read, as typed, frozen structures
checked at load: rules/agreements.yaml, rules/meetings.yaml and the sections of rules/roles.yaml
about the words around a title.

Every section of those files is required and each is a list of non-empty lower-case strings,
read as a frozenset; an unknown or missing section, or a value that is not such a list, stops
the load with a `RuleError` naming the file and the section. The exceptions, in
rules/roles.yaml: the phrases compared with folded titles (`former_after`, `portfolio_heads`,
`periphrases`) are written as French spells them, any case, and folded here (`chef de l'État`
-> `chef de l'etat`); `periphrases` is a mapping, and a periphrasis and the titles that word
it must be listed `functions`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..lexicons import RuleError, check_keys, read_yaml, rules_path
from ..normalize.names import fold

# Sections of rules/roles.yaml read elsewhere: by pipeline/relations/rules.py and pipeline/resolve.py.
TITLE_SECTIONS = {"ranks", "functions", "honorifics"}


@dataclass(frozen=True)
class AgreementWords:
    """rules/agreements.yaml (its comments say what each list does)."""
    consent_verbs: frozenset[str]       # lemmas
    hypothetical_words: frozenset[str]  # lemmas or forms
    sought_words: frozenset[str]        # lemmas
    prospect_words: frozenset[str]      # forms
    not_done_verbs: frozenset[str]      # lemmas
    negations: frozenset[str]           # forms
    subject_pronouns: frozenset[str]    # forms
    state_nouns: frozenset[str]         # lemmas
    incise_openers: frozenset[str]      # forms
    clause_breaks: frozenset[str]       # forms
    phrase_stops: frozenset[str]        # forms


@dataclass(frozen=True)
class MeetingWords:
    """rules/meetings.yaml (its comments say what each list does)."""
    visit_words: frozenset[str]    # lemmas
    visit_verbs: frozenset[str]    # lemmas
    cancel_cues: frozenset[str]    # forms or lemmas
    remote_cues: frozenset[str]    # forms
    modal_lemmas: frozenset[str]   # lemmas
    source_words: frozenset[str]   # forms
    together_words: frozenset[str]  # forms


@dataclass(frozen=True)
class RoleWords:
    """The role-word sections of rules/roles.yaml (its comments say what each does)."""
    role_prefixes: frozenset[str]           # forms
    former_words: frozenset[str]            # forms
    former_after: tuple[str, ...]           # folded phrases (a tuple: `str.startswith` takes one)
    portfolio_heads: frozenset[str]         # folded titles
    portfolio_prepositions: frozenset[str]  # forms
    not_portfolio: frozenset[str]           # forms
    title_participles: frozenset[str]       # forms
    periphrases: Mapping[str, frozenset[str]]  # folded periphrasis -> folded titles that word it


@dataclass(frozen=True)
class RelationWords:
    """The three together, as the relation component holds them."""
    agreements: AgreementWords
    meetings: MeetingWords
    roles: RoleWords


def section_names(cls) -> set[str]:
    return {f.name for f in fields(cls)}


def word_list(value: Any, name: str, where: str, lower: bool = True) -> list[str]:
    """The section's words, checked: a list of non-empty strings (lower case unless `lower` is
    False, for the phrases folded at load)."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where}: {name} must be a list of non-empty strings, got {value!r}")
    if lower:
        upper = [v for v in value if v != v.lower()]
        if upper:
            raise RuleError(f"{where}: {name}: {upper} must be written in lower case")
    return value


def title_key(phrase: str) -> str:
    """A phrase as roles.py compares titles: folded, apostrophes glued (`chef d' état-major`
    -> `chef d'etat major`)."""
    return re.sub(r"\s*'\s*", "'", fold(phrase))


def read_sections(name: str, cls, rules_dir: Path | None) -> tuple[dict, str]:
    path = rules_path(name, rules_dir=rules_dir)
    data = read_yaml(path)
    sections = section_names(cls)
    check_keys(data, sections, sections, path.name)
    return data, path.name


@functools.lru_cache(maxsize=4)
def load_agreement_words(rules_dir: Path | None = None) -> AgreementWords:
    """rules/agreements.yaml, checked, as an `AgreementWords`."""
    data, where = read_sections("agreements.yaml", AgreementWords, rules_dir)
    return AgreementWords(**{name: frozenset(word_list(data[name], name, where))
                             for name in section_names(AgreementWords)})


@functools.lru_cache(maxsize=4)
def load_meeting_words(rules_dir: Path | None = None) -> MeetingWords:
    """rules/meetings.yaml, checked, as a `MeetingWords`."""
    data, where = read_sections("meetings.yaml", MeetingWords, rules_dir)
    return MeetingWords(**{name: frozenset(word_list(data[name], name, where))
                           for name in section_names(MeetingWords)})


@functools.lru_cache(maxsize=4)
def load_role_words(rules_dir: Path | None = None) -> RoleWords:
    """The role-word sections of rules/roles.yaml, checked, as a `RoleWords`."""
    path = rules_path("roles.yaml", rules_dir=rules_dir)
    data = read_yaml(path)
    where = path.name
    sections = section_names(RoleWords)
    check_keys(data, sections | TITLE_SECTIONS, sections | {"functions"}, where)
    functions = {title_key(f) for f in word_list(data["functions"], "functions", where, lower=False)}
    forms = {name: frozenset(word_list(data[name], name, where))
             for name in ("role_prefixes", "former_words", "portfolio_prepositions", "not_portfolio",
                          "title_participles")}
    former_after = tuple(sorted({title_key(p) for p in word_list(data["former_after"], "former_after", where,
                                                                  lower=False)}))
    heads = frozenset(title_key(p) for p in word_list(data["portfolio_heads"], "portfolio_heads", where, lower=False))
    return RoleWords(**forms, former_after=former_after, portfolio_heads=heads,
                     periphrases=check_periphrases(data["periphrases"], functions, where))


def check_periphrases(value: Any, functions: set[str], where: str) -> Mapping[str, frozenset[str]]:
    """`periphrases`: a mapping periphrasis -> titles, each a listed function, folded."""
    if not isinstance(value, dict):
        raise RuleError(f"{where}: periphrases must be a mapping periphrasis -> list of titles, got {value!r}")
    out = {}
    for periphrasis, titles in value.items():
        if not isinstance(periphrasis, str) or not periphrasis.strip():
            raise RuleError(f"{where}: periphrases: {periphrasis!r} must be a non-empty string")
        titles = word_list(titles, f"periphrases: {periphrasis}", where, lower=False)
        for phrase in [periphrasis, *titles]:
            if title_key(phrase) not in functions:
                raise RuleError(f"{where}: periphrases: {phrase!r} is not one of the `functions`")
        out[title_key(periphrasis)] = frozenset(title_key(t) for t in titles)
    return MappingProxyType(out)


@functools.lru_cache(maxsize=4)
def load_relation_words(rules_dir: Path | None = None) -> RelationWords:
    """The words of the agreement, meeting and role modules, checked."""
    return RelationWords(agreements=load_agreement_words(rules_dir), meetings=load_meeting_words(rules_dir),
                         roles=load_role_words(rules_dir))
