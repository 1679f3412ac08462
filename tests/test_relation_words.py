"""The words of the agreement, meeting and role modules (rules/agreements.yaml,
rules/meetings.yaml, the words around a title in rules/roles.yaml): the loaders of
pipeline/relations/words.py accept the real files and stop on a malformed copy with a
`RuleError` that names the file and the section. No model is loaded.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.lexicons import RuleError
from pipeline.relations.rules import load_relation_rules
from pipeline.relations.words import (AgreementWords, MeetingWords, RelationWords, RoleWords, load_agreement_words,
                                      load_meeting_words, load_relation_words, load_role_words)
from pipeline.resolve import load_resolver_words

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
LOADERS = {"agreements.yaml": load_agreement_words, "meetings.yaml": load_meeting_words,
           "roles.yaml": load_role_words}


def rules_copy(tmp_path: Path, name: str, edit) -> Path:
    """A copy of rules/ under tmp_path whose file `name` went through `edit(data)`."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    path = target / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


# ------------------------------------------------------------------ the real files


def test_loaders_accept_the_real_files():
    words = load_relation_words(RULES_DIR)
    assert isinstance(words, RelationWords)
    assert isinstance(words.agreements, AgreementWords) and isinstance(words.meetings, MeetingWords)
    assert isinstance(words.roles, RoleWords)
    assert "mettre" in words.agreements.consent_verbs
    assert {"qu'", "qu’", ";"} <= words.agreements.clause_breaks
    assert "visite" in words.meetings.visit_words and "d’après" in words.meetings.source_words
    assert "alors" in words.roles.role_prefixes


def test_role_phrases_are_folded_as_titles_are():
    """Written as French spells them, compared as roles.py folds titles."""
    words = load_role_words(RULES_DIR)
    assert "de l'epoque" in words.former_after and isinstance(words.former_after, tuple)
    assert {"sous secretaire d'etat", "ministre d'etat", "haut commissaire"} <= words.portfolio_heads
    assert "president de la republique" in words.periphrases["chef de l'etat"]
    assert "premier ministre" in words.periphrases["chef du gouvernement"]


def test_structures_are_frozen():
    words = load_relation_words(RULES_DIR)
    with pytest.raises(AttributeError):
        words.meetings.visit_words = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        words.roles.periphrases["chef de l'etat"] = frozenset()  # type: ignore[index]


def test_the_other_readers_of_roles_yaml_accept_its_new_sections():
    rules = load_relation_rules(RULES_DIR)
    assert "ministre de la defense" in rules.functions
    assert "ministre" in load_resolver_words(RULES_DIR)["role_heads"]


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_files_open_with_a_header(name):
    header = (RULES_DIR / name).read_text(encoding="utf-8").split("\n\n")[0]
    assert header.startswith(f"# rules/{name} — ")
    for part in ("FORMAT:", "SOURCES:", "EXTEND:"):
        assert part in header, f"{name}: the header has no {part}"


# ------------------------------------------------------------------ malformed copies


def add(section, value):
    return lambda data: data.__setitem__(section, value)


def drop(section):
    return lambda data: data.pop(section)


@pytest.mark.parametrize("name,edit,message", [
    ("agreements.yaml", add("signing_words", ["signer"]), r"agreements\.yaml: unknown key.*'signing_words'"),
    ("agreements.yaml", drop("negations"), r"agreements\.yaml: missing key.*'negations'"),
    ("agreements.yaml", add("clause_breaks", "mais"), r"agreements\.yaml: clause_breaks must be a list"),
    ("agreements.yaml", add("sought_words", ["négociation", ""]), r"agreements\.yaml: sought_words must be a list"),
    ("agreements.yaml", add("negations", ["pas", False]), r"agreements\.yaml: negations must be a list"),
    ("agreements.yaml", add("state_nouns", ["pays", "Royaume"]), r"agreements\.yaml: state_nouns: .*lower case"),
    ("meetings.yaml", add("call_cues", ["appel"]), r"meetings\.yaml: unknown key.*'call_cues'"),
    ("meetings.yaml", drop("visit_words"), r"meetings\.yaml: missing key.*'visit_words'"),
    ("meetings.yaml", add("cancel_cues", {"annuler": 1}), r"meetings\.yaml: cancel_cues must be a list"),
    ("roles.yaml", add("former_before", ["jadis"]), r"roles\.yaml: unknown key.*'former_before'"),
    ("roles.yaml", drop("periphrases"), r"roles\.yaml: missing key.*'periphrases'"),
    ("roles.yaml", add("title_participles", "chargé"), r"roles\.yaml: title_participles must be a list"),
    ("roles.yaml", add("former_after", None), r"roles\.yaml: former_after must be a list"),
    ("roles.yaml", add("periphrases", ["chef de l'État"]), r"roles\.yaml: periphrases must be a mapping"),
    ("roles.yaml", add("periphrases", {"chef de l'État": "président"}),
     r"roles\.yaml: periphrases: chef de l'État must be a list"),
    ("roles.yaml", add("periphrases", {"chef de l'État": ["présidnt"]}),
     r"roles\.yaml: periphrases: 'présidnt' is not one of the `functions`"),
], ids=["agreements-unknown", "agreements-missing", "agreements-not-a-list", "agreements-empty-word",
        "agreements-not-a-string", "agreements-upper-case", "meetings-unknown", "meetings-missing",
        "meetings-not-a-list", "roles-unknown", "roles-missing", "roles-not-a-list", "roles-null",
        "roles-periphrases-not-a-mapping", "roles-periphrasis-not-a-list", "roles-periphrasis-not-a-function"])
def test_loaders_reject_malformed_files(tmp_path, name, edit, message):
    rules_dir = rules_copy(tmp_path, name, edit)
    with pytest.raises(RuleError, match=message):
        LOADERS[name](rules_dir)
    with pytest.raises(RuleError, match=message):
        load_relation_words(rules_dir)


def test_an_unknown_section_of_roles_yaml_stops_the_relation_rules_too(tmp_path):
    rules_dir = rules_copy(tmp_path, "roles.yaml", add("former_before", ["jadis"]))
    with pytest.raises(RuleError, match=r"roles\.yaml: unknown key.*'former_before'"):
        load_relation_rules(rules_dir)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loaders_accept_an_unmodified_copy(tmp_path, name):
    rules_dir = rules_copy(tmp_path, name, lambda data: None)
    assert LOADERS[name](rules_dir) == LOADERS[name](RULES_DIR)
