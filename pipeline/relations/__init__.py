"""Relation extraction: arms transfers, agreements, meetings and roles (SCHEMA.md).

Everything the stage looks for is data in rules/relations.yaml (trigger lemmas, sides,
status cues, agreement kinds) and rules/roles.yaml (titles), loaded and checked by
`rules.py`, and in rules/agreements.yaml, rules/meetings.yaml and the words around a title in
rules/roles.yaml, loaded and checked by `words.py`. The modules, as the data flows:

- `view.py`: one document's mentions by token and sentence, its parties and their countries;
- `parse.py`: pure helpers on the dependency parse;
- `coreference.py`: generic weapon nouns named after the system they stand for, the topic weapon;
- `transfers.py`: transfer statements, sentence by sentence;
- `frames.py`: the statements of one deal across the document joined into one relation;
- `agreements.py`, `meetings.py`, `roles.py`: the other relation types.

Relations are plain dicts with mention indices (`doc._.arms_mentions`) as arguments.
"""
from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc

from ..lexicons import load_demonyms, load_persons, read_yaml, rules_path
from ..resolve import category_group_of, run_guarded
from .agreements import agreements
from .coreference import name_generic_weapons
from .frames import document_transfers
from .meetings import meetings
from .roles import loose_names, roles
from .rules import RelationRules, load_relation_rules
from .view import DocView, LexiconFacts
from .words import RelationWords, load_relation_words

__all__ = ["RelationExtractor", "RelationRules", "RelationWords", "extract_relations", "load_relation_rules",
           "load_relation_words"]


def extract_relations(doc: Doc, rules: RelationRules, facts: LexiconFacts, words: RelationWords) -> list[dict]:
    """Every relation of a document, ordered by evidence, type and arguments."""
    view = DocView(doc, facts)
    name_generic_weapons(view)
    relations = [*document_transfers(view, rules), *agreements(view, rules, words.agreements, words.roles),
                 *meetings(view, rules, words.meetings, words.roles), *roles(view, rules, words.roles)]
    relations.sort(key=lambda r: (r["evidence"]["start"], r["type"], str(r["args"])))
    return relations


class RelationExtractor:
    """The `arms_relations` component: sets `doc._.arms_relations` (a list of dicts)."""

    def __init__(self, rules_dir: Path | None = None):
        self.rules = load_relation_rules(rules_dir)
        self.words = load_relation_words(rules_dir)
        persons = load_persons(rules_dir)
        person_countries = {record["name"]: record.get("country") for record in persons.entries.values()}
        # weapon categories of one kind (rules/resolver.yaml): `des avions` may stand for a C-390
        groups = read_yaml(rules_path("resolver.yaml", rules_dir=rules_dir))["category_groups"]
        self.facts = LexiconFacts(
            demonyms=load_demonyms(rules_dir), person_countries=person_countries,
            person_lookup=loose_names(person_countries),
            category_group=category_group_of(groups))

    def __call__(self, doc: Doc) -> Doc:
        return run_guarded(doc, self.extract, "relation extraction", "relations")

    def extract(self, doc: Doc) -> Doc:
        doc._.arms_relations = extract_relations(doc, self.rules, self.facts, self.words)
        return doc
