"""Checks of the ORG and PER lexicons and of the ORG description patterns (fast, no model).

rules/organisations.yaml, rules/persons.yaml and rules/patterns/org_patterns.yaml are data
files: these tests read them with PyYAML and check counts, types, country codes, duplicate
names and forms, agreement with the gold annotation of the seeds, and run every pattern on
its own examples with spaCy's Matcher over a blank French tokenizer.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import pytest
import spacy
import yaml
from spacy.matcher import Matcher

from pipeline.lexicons import ORG_TYPES, RuleError, expand_pattern

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
GOLD = ROOT / "tests" / "gold" / "entities.jsonl"

ORG_KEYS = {"name", "type", "country", "aliases", "ambiguous"}
PER_KEYS = {"name", "aliases", "country", "role"}

# Small stand-ins for the `$demonyms` / `$countries` lists the loader builds from
# rules/places/ (the test must not depend on the size of those files).
DEMONYMS = [
    "marocain", "marocaine", "marocains", "marocaines", "israélien", "israélienne",
    "israéliens", "israéliennes", "algérien", "algérienne", "algériens", "français", "française",
    "indien", "indienne", "ukrainiennes", "égyptiennes", "américaines", "américain",
    "irakiennes", "polonaise", "syrienne", "colombienne", "grecs", "libyenne", "russe",
    "ivoirienne",
]
COUNTRIES = ["maroc", "israël", "algérie", "mali", "inde", "france", "ukraine", "pakistan"]


def _yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def orgs() -> list[dict]:
    return _yaml(RULES / "organisations.yaml")


@pytest.fixture(scope="module")
def persons() -> list[dict]:
    return _yaml(RULES / "persons.yaml")


@pytest.fixture(scope="module")
def org_patterns() -> dict:
    return _yaml(RULES / "patterns" / "org_patterns.yaml")


def _forms(entry: dict) -> list[str]:
    return [entry["name"], *(entry.get("aliases") or [])]


def _valid_country(code) -> bool:
    return code is None or (isinstance(code, str) and len(code) == 3
                            and pycountry.countries.get(alpha_3=code) is not None)


# ------------------------------------------------------------------------ files start
@pytest.mark.parametrize("relpath", ["organisations.yaml", "persons.yaml",
                                     "patterns/org_patterns.yaml"])
def test_header_comment(relpath):
    text = (RULES / relpath).read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines()[:40] if line.startswith("#"))
    for word in ("FORMAT", "SOURCES", "EXTEND"):
        assert word in header, f"{relpath}: header lacks {word}"


# ---------------------------------------------------------------------- organisations
def test_org_entries_well_formed(orgs):
    for entry in orgs:
        assert isinstance(entry, dict), entry
        assert set(entry) <= ORG_KEYS, f"unknown key in {entry}"
        assert {"name", "type"} <= set(entry), entry
        assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != ""
        assert entry["type"] in ORG_TYPES, entry
        assert _valid_country(entry.get("country")), entry
        aliases = entry.get("aliases") or []
        assert isinstance(aliases, list), entry
        assert all(isinstance(a, str) and a.strip() == a != "" for a in aliases), entry
        assert isinstance(entry.get("ambiguous", False), bool), entry


def test_org_counts(orgs):
    by_type = Counter(entry["type"] for entry in orgs)
    assert by_type["company"] >= 120
    assert by_type["armed_forces"] + by_type["government"] >= 80
    assert by_type["media"] >= 120
    assert by_type["ngo"] >= 15
    assert by_type["intergovernmental"] >= 15
    assert by_type["armed_group"] >= 10
    armies = {e["country"] for e in orgs if e["type"] == "armed_forces" and e.get("country")}
    assert len(armies) >= 80, f"armed forces of only {len(armies)} countries"


def test_org_names_and_forms_unique(orgs):
    names = Counter(entry["name"] for entry in orgs)
    assert [n for n, c in names.items() if c > 1] == []
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in orgs:
        for form in _forms(entry):
            owners[form].add(entry["name"])
    clashes = {form: sorted(o) for form, o in owners.items() if len(o) > 1}
    assert clashes == {}


def test_org_no_bare_common_word(orgs):
    """No form is a bare generic noun; a name that is an ordinary word is capitalised and
    flagged ambiguous; a lower-case one-word form is a proper noun written lower-case."""
    generic = {"armée", "marine", "police", "défense", "gouvernement", "ministère", "forces",
               "aviation", "presse", "journal", "groupe", "société", "agence", "service",
               "conseil", "garde", "état", "armées", "sénat"}
    words = {"liberté", "globes", "challenges", "réalités", "leaders", "marianne", "raids"}
    for entry in orgs:
        for form in _forms(entry):
            assert form.lower() not in generic or entry["name"] == "Sénat", (entry["name"], form)
            if form.lower() in words:
                assert entry.get("ambiguous") and form[0].isupper(), (entry["name"], form)
            if " " not in form and form[:1].islower():
                assert form in {"menadefense", "le360", "makhzen", "peshmergas", "peshmerga",
                                "pasdaran", "pasdarans", "houthis", "talibans", "taliban",
                                "chebab", "shebab", "thyssenkrupp", "armasuisse",
                                "franceinfo", "lemonde.fr", "lefigaro.fr", "latribune.fr",
                                "lepoint.fr", "lexpress.fr", "jeuneafrique.com",
                                "opex360.com", "yabiladi.com", "ledesk.ma", "lematin.ma",
                                "le360.ma", "meta-defense.fr", "menadefense.net", "dpa",
                                "swissinfo.ch", "iXblue", "anti-balaka", "i24News",
                                "i24NEWS", "al-Qaïda", "al-Qaida"}, (entry["name"], form)


def test_org_ambiguous_flags(orgs):
    flagged = {e["name"] for e in orgs if e.get("ambiguous")}
    for name in ("Globes", "Le Point", "Liberté", "Le Temps", "La Presse"):
        assert name in flagged
    for name in ("Haaretz", "NSO Group", "Forces armées royales"):
        assert name not in flagged


def test_org_brief_entries(orgs):
    """The canonical names and aliases that other files and the gold rely on."""
    by_name = {e["name"]: e for e in orgs}
    expect = {
        "Israel Aerospace Industries": ("company", "ISR", {"IAI", "Aerospace Industries",
                                                           "Israël Aerospace Industries"}),
        "Forces armées royales": ("armed_forces", "MAR", {"FAR", "Forces royales marocaines",
                                                          "Forces armées royales marocaines"}),
        "Forces de défense d'Israël": ("armed_forces", "ISR", {"Tsahal", "FDI", "IDF"}),
        "Armée nationale populaire": ("armed_forces", "DZA", {"ANP"}),
        "Front Polisario": ("armed_group", None, {"Polisario", "Front P."}),
        "MAFAT": ("government", "ISR", {"Direction de la recherche et du développement du "
                                        "ministère israélien de la Défense"}),
        "KNDS France": ("company", "FRA", {"Nexter"}),
        "KNDS Deutschland": ("company", "DEU", {"KMW", "Krauss-Maffei Wegmann"}),
        "Turkish Aerospace": ("company", "TUR", {"TAI", "TUSAŞ"}),
        "OTAN": ("intergovernmental", None, {"NATO"}),
        "Reuters": ("media", "GBR", set()),
        "Middle East Monitor": ("media", "GBR", set()),
        "Almayadeen": ("media", "LBN", set()),
    }
    for name, (kind, country, aliases) in expect.items():
        entry = by_name[name]
        assert entry["type"] == kind and entry.get("country") == country, entry
        assert aliases <= set(entry.get("aliases") or []), entry


def test_org_forms_agree_with_gold(orgs):
    """Every non-optional gold ORG written as a lexicon form gets the gold's norm."""
    form_to_entry = {form: e for e in orgs for form in _forms(e)}
    checked = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        mention = json.loads(line)
        if mention["label"] != "ORG" or mention.get("optional"):
            continue
        entry = form_to_entry.get(mention["text"])
        if entry is None:
            continue
        checked += 1
        norm = mention["norm"]
        assert (entry["name"], entry["type"], entry.get("country")) == \
            (norm["name"], norm["type"], norm["country"]), mention["text"]
    assert checked >= 30


def test_weapon_manufacturers_are_org_names(orgs):
    path = RULES / "weapons.yaml"
    if not path.exists():
        pytest.skip("rules/weapons.yaml not written yet")
    names = {e["name"] for e in orgs if e["type"] in ("company", "government")}
    missing = sorted({w["manufacturer"] for w in _yaml(path)
                      if w.get("manufacturer")} - names)
    assert missing == []


def test_load_organisations_with_pipeline_loader():
    from pipeline.lexicons import load_organisations
    load_organisations.cache_clear()
    try:
        lexicon = load_organisations()
    except RuleError as error:
        if "ambiguous" in str(error):
            pytest.skip("pipeline.lexicons.load_organisations does not accept the "
                        "`ambiguous` key yet (the lead adds it)")
        raise
    assert lexicon.lookup("IAI")["name"] == "Israel Aerospace Industries"
    assert lexicon.lookup("FAR")["country"] == "MAR"


# ---------------------------------------------------------------------------- persons
def test_person_entries_well_formed(persons):
    for entry in persons:
        assert set(entry) <= PER_KEYS and "name" in entry, entry
        assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != ""
        assert _valid_country(entry.get("country")), entry
        aliases = entry.get("aliases") or []
        assert all(isinstance(a, str) and a.strip() == a != "" for a in aliases), entry
        role = entry.get("role")
        assert isinstance(role, str) and role and role[0].islower(), entry


def test_person_count(persons):
    assert len(persons) >= 250


def test_person_names_and_forms_unique(persons):
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in persons:
        for form in _forms(entry):
            owners[form].add(entry["name"])
    assert {f: sorted(o) for f, o in owners.items() if len(o) > 1} == {}


def test_shared_surname_is_no_alias(persons):
    """`Cohen` is the surname of Eli and of Yossi Cohen: it must be nobody's alias."""
    surname_of: dict[str, set[str]] = defaultdict(set)
    for entry in persons:
        surname_of[entry["name"].split()[-1]].add(entry["name"])
    for entry in persons:
        for alias in entry.get("aliases") or []:
            others = surname_of.get(alias, set()) - {entry["name"]}
            assert not others, f"{alias!r} alias of {entry['name']} is also the surname of {others}"


def test_person_surnames_agree_with_gold(persons):
    """A surname alone in the gold (`Kochavi`, `Macron`, `Trump`) maps to the gold name."""
    alias_to_name = {a: e["name"] for e in persons for a in e.get("aliases") or []}
    checked = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        mention = json.loads(line)
        if mention["label"] == "PER" and " " not in mention["text"]:
            assert alias_to_name.get(mention["text"]) == mention["norm"]["name"], mention["text"]
            checked += 1
    assert checked >= 3


def test_brief_persons(persons):
    alias_to_name = {a: e["name"] for e in persons for a in e.get("aliases") or []}
    assert alias_to_name["Macron"] == "Emmanuel Macron"
    assert alias_to_name["Gantz"] == "Benny Gantz"
    assert alias_to_name["MBS"] == "Mohammed ben Salmane"
    assert "Cohen" not in alias_to_name


def test_load_persons_with_pipeline_loader():
    from pipeline.lexicons import load_persons
    load_persons.cache_clear()
    lexicon = load_persons()
    assert lexicon.lookup("Trump")["name"] == "Donald Trump"


# ------------------------------------------------------------------------ org patterns
@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("fr")


def _expanded(data: dict) -> list[tuple[dict, list[dict]]]:
    lists = {"demonyms": DEMONYMS, "countries": COUNTRIES}
    tokens = data.get("tokens") or {}
    return [(entry, expand_pattern(entry["pattern"], tokens, lists, entry["id"]))
            for entry in data["patterns"]]


def _matches(nlp, patterns, text: str) -> set[str]:
    matcher = Matcher(nlp.vocab, validate=True)
    for index, (_, pattern) in enumerate(patterns):
        matcher.add(str(index), [pattern])
    doc = nlp(text)
    return {doc[start:end].text for _, start, end in matcher(doc)}


def test_org_patterns_well_formed(org_patterns):
    ids = [entry["id"] for entry in org_patterns["patterns"]]
    assert len(ids) == len(set(ids)) and len(ids) >= 10
    for entry in org_patterns["patterns"]:
        assert set(entry) == {"id", "label", "type", "pattern", "examples"}, entry["id"]
        assert entry["label"] == "ORG"
        assert entry["type"] in ORG_TYPES, entry["id"]
        assert entry["examples"], entry["id"]
        assert all(" => " in example for example in entry["examples"]), entry["id"]


def test_org_pattern_examples(nlp, org_patterns):
    for entry, pattern in _expanded(org_patterns):
        for example in entry["examples"]:
            sentence, _, expected = example.partition(" => ")
            found = _matches(nlp, [(entry, pattern)], sentence)
            assert expected in found, f"{entry['id']}: {sentence!r} gave {sorted(found)}"


@pytest.mark.parametrize("sentence", [
    "L'armée a déclaré avoir accueilli une unité commando.",
    "le ministre israélien de la Défense, Benny Gantz, a signé",
    "des policiers marocains équipés d'une arme israélienne",
    "la marine marchande et l'aviation civile",
    "la garde à vue du suspect",
])
def test_org_patterns_leave_non_organisations(nlp, org_patterns, sentence):
    assert _matches(nlp, _expanded(org_patterns), sentence) == set()


def test_demonym_stand_ins_exist_in_places():
    path = RULES / "places" / "demonyms.csv"
    if not path.exists():
        pytest.skip("rules/places/demonyms.csv not written yet")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    forms = {line.split(",")[0] for line in lines[1:]}
    assert set(DEMONYMS) <= forms


def test_org_patterns_with_pipeline_loader(nlp):
    """The real `$demonyms`/`$countries` lists (rules/places/) keep every example matching."""
    if not (RULES / "places" / "demonyms.csv").exists():
        pytest.skip("rules/places/ not written yet")
    from pipeline.lexicons import load_patterns
    rules = load_patterns("org_patterns")
    assert {rule.type for rule in rules} <= set(ORG_TYPES)
    for rule in rules:
        for example in rule.examples:
            sentence, _, expected = example.partition(" => ")
            found = _matches(nlp, [(None, rule.pattern)], sentence)
            assert expected in found, f"{rule.id}: {sentence!r} gave {sorted(found)}"
