"""rules/relations.yaml and rules/roles.yaml as typed, frozen structures, checked at load.

A malformed file stops the load with a `RuleError` that names the file, the entry and the
problem (an unknown key, a side that is neither `supplier` nor `recipient`, a status outside
SCHEMA.md's list, an example without its expected answer).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..config import STATUSES
from ..lexicons import RuleError, check_keys, load_vocab, read_yaml, rules_path
from ..normalize.names import fold

SIDES = ("supplier", "recipient", "theme")  # theme: the subject is the equipment
TRIGGER_KEYS = {"subject", "status", "case", "example"}
# Sections of relations.yaml that are lists of words (lemmas or forms), read as frozensets.
WORD_LISTS = ("content_verbs", "negotiating_cues", "bid_cues", "preference_verbs", "copular_verbs", "becoming_verbs", "ordinal_part_words", "reporting_verbs", "approval_nouns", "maker_participles", "planned_cues", "ordered_cues", "arrival_lemmas",
              "alleged_cues", "cancelled_cues", "equipped_participles",
              "recipient_prepositions", "supplier_prepositions", "origin_prepositions", "destination_prepositions",
              "competitor_cues", "speculative_phrases", "alleged_phrases", "pair_phrases",
              "anaphoric_nouns", "client_nouns", "buyer_nouns", "negation_words", "state_nouns", "winning_verbs", "taking_verbs", "realised_verbs", "reflexive_recipient_verbs", "part_words", "additional_words", "demonstrative_determiners", "relative_pronouns", "tentative_adjectives", "value_nouns", "amount_verbs", "first_person_subjects", "bare_agreement_kinds",
              "signing_lemmas", "meeting_lemmas", "irregular_future_stems")
SECTIONS = {"transfer_verbs", "transfer_nouns", "agreement_kinds", "max_agreement_parties", "parse_gate", *WORD_LISTS}
ACCENT_CLASSES = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}


@dataclass(frozen=True)
class Trigger:
    """A transfer verb or noun: which side its subject is and the stage it states.

    `example`: a sentence of our own and the answer it must give,
    `sentence => RECIPIENT SUPPLIER status` (ISO codes, `-` for none); a test runs it."""
    lemma: str
    kind: str             # "verb" | "noun" | "equipped"
    subject: str | None   # "supplier" | "recipient" | "theme" (the equipment) | None
    status: str
    example: str | None = None
    case: str | None = None  # a noun that triggers only with this preposition (`en service`)


@dataclass(frozen=True)
class RelationRules:
    transfer_verbs: Mapping[str, Trigger]
    transfer_nouns: Mapping[str, Trigger]
    words: Mapping[str, frozenset]
    competitor_regex: re.Pattern
    speculative_regex: re.Pattern
    alleged_regex: re.Pattern
    pair_regex: re.Pattern   # "les deux pays": the two countries named just before
    agreement_kinds: tuple[str, ...]
    agreement_regexes: tuple[tuple[str, re.Pattern], ...]
    agreement_prefilter: re.Pattern
    agreement_kinds_of_head: Mapping[str, tuple[int, ...]]  # first word -> its kinds' places in agreement_regexes
    max_agreement_parties: int
    functions: frozenset
    ranks: frozenset
    role_forms: Mapping[str, str]
    role_first_words: frozenset
    collective_numbers: frozenset
    parse_gate: frozenset  # words that make a sentence worth parsing (pipeline/parsing.py)
    trigger_lemmas: frozenset = frozenset()  # the lemmas of the transfer verbs and nouns
    trigger_nouns: frozenset = frozenset()   # the lemmas of the transfer nouns

    def __getitem__(self, name: str) -> frozenset:
        """A word list by its section name (`rules["value_nouns"]`)."""
        return self.words[name]

    def trigger(self, lemma: str, pos: str, lower: str) -> Trigger | None:
        """The transfer trigger a token is, by its lemma and part of speech, if any."""
        if pos != "NOUN" and lemma in self.transfer_verbs:
            return self.transfer_verbs[lemma]
        if pos in ("NOUN", "PROPN") and lemma in self.transfer_nouns:
            return self.transfer_nouns[lemma]
        if pos != "NOUN" and lower in self.words["equipped_participles"]:
            return EQUIPPED  # a participle, not the noun (`des drones armés` read as `armés` the noun)
        return None


EQUIPPED = Trigger(lemma="équipé", kind="equipped", subject=None, status="delivered")


def check_trigger(lemma: str, entry: dict, kind: str, where: str) -> Trigger:
    check_keys(entry, TRIGGER_KEYS, {"subject", "status"}, f"{where}: {lemma}")
    if entry["subject"] not in SIDES:
        raise RuleError(f"{where}: {lemma}: subject {entry['subject']!r} is not one of {SIDES}")
    if entry["status"] not in STATUSES:
        raise RuleError(f"{where}: {lemma}: status {entry['status']!r} is not one of {STATUSES}")
    example = entry.get("example")
    if example is not None and (" => " not in example or len(example.split(" => ")[1].split()) != 3):
        raise RuleError(f"{where}: {lemma}: example must read `sentence => RECIPIENT SUPPLIER status`")
    return Trigger(lemma=lemma, kind=kind, subject=entry["subject"], status=entry["status"], example=example,
                   case=entry.get("case"))


def check_word_list(name: str, value, where: str) -> frozenset:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: {name} must be a list of non-empty strings")
    return frozenset(value)


@functools.lru_cache(maxsize=4)
def load_relation_rules(rules_dir: Path | None = None) -> RelationRules:
    """rules/relations.yaml and rules/roles.yaml, checked, as a `RelationRules`."""
    path = rules_path("relations.yaml", rules_dir=rules_dir)
    data = read_yaml(path)
    where = path.name
    check_keys(data, SECTIONS, SECTIONS, where)
    verbs = {lemma: check_trigger(lemma, entry, "verb", f"{where}: transfer_verbs")
             for lemma, entry in data["transfer_verbs"].items()}
    nouns = {lemma: check_trigger(lemma, entry, "noun", f"{where}: transfer_nouns")
             for lemma, entry in data["transfer_nouns"].items()}
    words = {name: check_word_list(name, data[name], where) for name in WORD_LISTS}
    cues = "|".join(re.escape(cue) for cue in sorted(words["competitor_cues"], key=len, reverse=True))
    kinds = tuple(sorted(check_word_list("agreement_kinds", data["agreement_kinds"], where),
                         key=lambda k: (-len(k), k)))
    regexes = tuple((agreement_head(k), phrase_regex(k)) for k in kinds)
    heads = sorted({head for head, _ in regexes})
    if not isinstance(data["max_agreement_parties"], int) or data["max_agreement_parties"] < 2:
        raise RuleError(f"{where}: max_agreement_parties must be an integer >= 2")
    gate = check_word_list("parse_gate", data["parse_gate"], where)
    unknown = sorted(gate - set(WORD_LISTS))
    if unknown:
        raise RuleError(f"{where}: parse_gate names {unknown}, which are not word lists of this file")
    roles_file = rules_path("roles.yaml", rules_dir=rules_dir)
    roles = read_yaml(roles_file)
    check_keys(roles, {"ranks", "functions", "honorifics", "role_prefixes", "former_words", "former_after", "portfolio_heads", "portfolio_prepositions", "not_portfolio", "title_participles", "periphrases"}, {"ranks", "functions"}, roles_file.name)  # role words: words.py
    functions = check_word_list("functions", roles["functions"], roles_file.name)
    ranks = check_word_list("ranks", roles["ranks"], roles_file.name)
    folded_functions = frozenset(fold(f) for f in functions)
    folded_ranks = frozenset(fold(r) for r in ranks)
    return RelationRules(
        transfer_verbs=MappingProxyType(verbs), transfer_nouns=MappingProxyType(nouns),
        words=MappingProxyType(words),
        competitor_regex=re.compile(rf"(^|\s)({cues})(\s|$)"),
        speculative_regex=re.compile("|".join(phrase_pattern(p) for p in sorted(words["speculative_phrases"])),
                                     re.IGNORECASE),
        alleged_regex=re.compile("|".join(phrase_pattern(p) for p in sorted(words["alleged_phrases"])), re.IGNORECASE),
        pair_regex=re.compile(r"\b(" + "|".join(phrase_pattern(p) for p in sorted(words["pair_phrases"])) + r")\b",
                              re.IGNORECASE),
        agreement_kinds=kinds, agreement_regexes=regexes,
        # (first word, regex) of each kind; one cheap search first finds which first words a
        # sentence holds (most hold none), and only their kinds' regexes run
        agreement_prefilter=re.compile(r"\b(" + "|".join(phrase_pattern(h) for h in heads) + ")", re.IGNORECASE),
        agreement_kinds_of_head=MappingProxyType({head: tuple(k for k, (h, _) in enumerate(regexes) if h == head)
                                                  for head in heads}),
        max_agreement_parties=data["max_agreement_parties"],
        functions=folded_functions, ranks=folded_ranks,
        role_forms=MappingProxyType({fold(p): p for p in [*functions, *ranks]}),
        role_first_words=frozenset(p.split(" ")[0] for p in folded_functions | folded_ranks),
        collective_numbers=frozenset(load_vocab(rules_dir)["collective_numbers"]),
        parse_gate=frozenset().union(verbs, nouns, *(words[name] for name in sorted(gate))),
        trigger_lemmas=frozenset().union(verbs, nouns), trigger_nouns=frozenset(nouns),
    )


def agreement_head(kind: str) -> str:
    """The first word of an agreement kind, folded (`Protocole d'accord` -> `protocole`)."""
    return fold(kind).split()[0].split("-")[0]


def phrase_regex(phrase: str) -> re.Pattern:
    """A case- and accent-insensitive regex for a phrase, with any hyphen, space or apostrophe,
    and its words in the plural too."""
    return re.compile(r"\b" + phrase_pattern(phrase) + r"s?\b", re.IGNORECASE)


def phrase_pattern(phrase: str) -> str:
    """The body of `phrase_regex`: no word boundaries, no final plural."""
    parts = []
    for ch in fold(phrase):
        if ch in " -":
            if parts and parts[-1][-1:].isalpha() or parts and parts[-1].endswith("]"):
                parts.append("s?")  # "accords-cadres", "protocoles d'accord"
            parts.append(r"[\s\-]+")
        elif ch == "'":
            parts.append(r"['’]\s*")
        else:
            parts.append(ACCENT_CLASSES.get(ch, re.escape(ch)))
    return "".join(parts)
