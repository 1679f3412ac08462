"""Normalise names of persons, organisations and places (SCHEMA.md `norm` for PER/ORG/LOC).

Lexicon matches carry their canonical record. Names only the model found are looked up
again accent- and case-insensitively, then typed from their words (rules/resolver.yaml
`org_type_keywords`) and given a country from a demonym or country name inside them.
Persons are linked within a document: a surname alone takes the fullest form the document
gives (`Lecornu` -> `Sébastien Lecornu`), else the lexicon's full name (`Macron`).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from spacy.tokens import Doc, Span

from ..lexicons import (load_demonyms, load_organisations, load_patterns, load_persons,
                        load_places, read_yaml, rules_path)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, one kind of apostrophe and dash, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\s\-]+", " ", text).strip()


class NameNormalizer:
    """Canonical names, types and countries for PER, ORG and LOC mentions."""

    def __init__(self, rules_dir: Path | None = None):
        self.lexicons = {"ORG": load_organisations(rules_dir), "LOC": load_places(rules_dir),
                         "PER": load_persons(rules_dir)}
        self.folded = {label: {fold(form): key for form, key in lex.forms.items()}
                       for label, lex in self.lexicons.items()}
        self.demonyms = load_demonyms(rules_dir)
        self.country_names = {fold(form): self.lexicons["LOC"].entries[key]["country"]
                              for form, key in self.lexicons["LOC"].forms.items()
                              if key.startswith("country:")}
        self.pattern_types = {rule.id: rule.type for rule in load_patterns("org_patterns", rules_dir)}
        keywords = read_yaml(rules_path("resolver.yaml", rules_dir=rules_dir))["org_type_keywords"]
        self.type_keywords = [(org_type, fold(word)) for org_type, words in keywords.items() for word in words]

    def normalize(self, label: str, span: Span, record: dict | None, pattern_id: str | None) -> dict:
        """`norm` for a PER/ORG/LOC span; `record` is the lexicon's when the rules found it."""
        if label == "PER":
            return {"name": span.text}  # canonical names come from link_persons
        if record is None:
            key = self.folded[label].get(fold(span.text))
            record = self.lexicons[label].entries.get(key) if key else None
        if record is not None:
            return {"name": record["name"], "type": record["type"], "country": record.get("country")}
        if label == "ORG":
            org_type = self.pattern_types.get(pattern_id) if pattern_id else None
            return {"name": span.text, "type": org_type or self.guess_org_type(span.text),
                    "country": self.country_in(span)}
        return {"name": span.text, "type": "other", "country": self.country_in(span)}

    def guess_org_type(self, text: str) -> str:
        """The ORG type suggested by a keyword of the name, else `other`."""
        folded = f" {fold(text)} "
        for org_type, word in self.type_keywords:
            if f" {word} " in folded or (word.startswith(".") and word in folded):
                return org_type
        return "other"

    def country_in(self, span: Span) -> str | None:
        """ISO alpha-3 of a demonym or country name inside the span (`armée marocaine`)."""
        for token in span:
            iso = self.demonyms.get(token.lower_)
            if iso:
                return iso
        for token in span:
            iso = self.country_names.get(fold(token.text))
            if iso:
                return iso
        return None

    def country_after(self, doc: Doc, index: int, window: int = 3) -> str | None:
        """A demonym right after a noun (`arme israélienne`, `drones de fabrication turque`)."""
        for token in doc[index:min(len(doc), index + window)]:
            iso = self.demonyms.get(token.lower_)
            if iso:
                return iso
            if token.is_punct:
                break
        return None

    def link_persons(self, records: list[dict]) -> None:
        """Give each person mention the fullest name the document gives (`Lecornu` ->
        `Sébastien Lecornu`), else, for a short form, the lexicon's full name (`Macron`).
        A full name written in the document is kept as written."""
        persons = [r for r in records if r["label"] == "PER"]
        full_names = sorted({r["norm"]["name"] for r in persons}, key=lambda n: (-len(n.split()), n))
        for record in persons:
            name = record["norm"]["name"]
            words = name.split()
            for full in full_names:
                full_words = full.split()
                if len(full_words) > len(words) and full_words[-len(words):] == words:
                    record["norm"] = {"name": full}
                    break
            else:
                key = self.lexicons["PER"].forms.get(name) or self.folded["PER"].get(fold(name))
                canonical = self.lexicons["PER"].entries[key]["name"].split() if key else []
                if key and len(words) < len(canonical) and (len(words) == 1 or canonical[-len(words):] == words):
                    record["norm"] = {"name": self.lexicons["PER"].entries[key]["name"]}
