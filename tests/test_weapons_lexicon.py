"""Checks of the weapons lexicon, rules/weapons.yaml (fast: PyYAML and pycountry, no model)."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
WEAPONS = PROJECT / "rules" / "weapons.yaml"
GOLD_ENTITIES = PROJECT / "tests" / "gold" / "entities.jsonl"

# SCHEMA.md weapon categories; `other` is the fallback, the lexicon does not need it.
CATEGORIES = (
    "combat_aircraft", "aircraft", "helicopter", "uav", "loitering_munition", "air_defense",
    "missile", "artillery", "tank", "armored_vehicle", "naval_vessel", "submarine",
    "small_arms", "ammunition", "spyware", "counter_uav", "sensor", "electronic_warfare", "other",
)
KEYS = {"name", "category", "manufacturer", "country", "aliases", "variants", "ambiguous"}
GENERIC_NOUNS = {
    "drone", "drones", "missile", "missiles", "char", "chars", "avion", "avions",
    "hélicoptère", "hélicoptères", "fusil", "fusils", "radar", "radars", "frégate", "frégates",
}
# The coverage the brief asks for, per category.
MINIMUM_PER_CATEGORY = {
    "combat_aircraft": 60, "aircraft": 30, "helicopter": 35, "uav": 45, "loitering_munition": 15,
    "air_defense": 40, "missile": 60, "artillery": 35, "tank": 30, "armored_vehicle": 40,
    "naval_vessel": 35, "submarine": 15, "small_arms": 30, "ammunition": 10, "spyware": 10,
    "counter_uav": 10, "sensor": 15, "electronic_warfare": 5,
}


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    data = yaml.safe_load(WEAPONS.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def forms_of(entry: dict) -> list:
    return [entry["name"], *(entry.get("aliases") or []), *(entry.get("variants") or [])]


def loader_forms(form: str) -> list[str]:
    """The forms the loader registers for one written form: the form and its all-caps copy
    (when longer than 3 characters), each also with the other apostrophe (' and ’)."""
    upper = form.upper()
    cased = [form, upper] if upper != form and len(form) > 3 else [form]
    out = []
    for item in cased:
        out += [item, item.replace("'", "’"), item.replace("’", "'")]
    return list(dict.fromkeys(out))


def loader_keys(entry: dict) -> list[tuple[str, list[str]]]:
    """(key, written forms) as the loader registers them: name and aliases under the name,
    each variant under its own key `name|variant`."""
    keys = [(entry["name"], [entry["name"], *(entry.get("aliases") or [])])]
    return keys + [(f"{entry['name']}|{variant}", [variant]) for variant in entry.get("variants") or []]


def test_header_documents_the_file():
    head = WEAPONS.read_text(encoding="utf-8").split("\n- name:", 1)[0]
    assert head.startswith("# rules/weapons.yaml")
    for word in ("FORMAT", "SOURCES", "EXTEND"):
        assert word in head


def test_enough_entries(entries):
    assert len(entries) >= 400


def test_entry_fields(entries):
    for entry in entries:
        where = entry.get("name")
        assert isinstance(entry, dict), where
        assert set(entry) <= KEYS, (where, set(entry) - KEYS)
        assert isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != "", where
        assert entry.get("category") in CATEGORIES, where
        manufacturer = entry.get("manufacturer")
        assert manufacturer is None or (isinstance(manufacturer, str) and manufacturer.strip()), where
        country = entry.get("country")
        assert country is None or (
            isinstance(country, str) and len(country) == 3
            and pycountry.countries.get(alpha_3=country) is not None), (where, country)
        for key in ("aliases", "variants"):
            values = entry.get(key, [])
            assert isinstance(values, list), (where, key)
            for value in values:
                assert isinstance(value, str) and value.strip() == value != "", (where, key, value)
        assert entry.get("ambiguous", False) in (True, False), where


def test_names_unique(entries):
    counts = Counter(entry["name"] for entry in entries)
    assert [name for name, n in counts.items() if n > 1] == []


def test_every_form_has_one_owner(entries):
    """Same rule as the loader: a form (or its all-caps or apostrophe twin) has one owner,
    the owner being the entry (name, aliases) or one of its variants."""
    owner: dict[str, str] = {}
    clashes = []
    for entry in entries:
        for key, written in loader_keys(entry):
            for form in written:
                for registered in loader_forms(form):
                    other = owner.setdefault(registered, key)
                    if other != key:
                        clashes.append((registered, other, key))
    assert clashes == []


def test_no_bare_number_or_generic_noun(entries):
    bad = []
    for entry in entries:
        for form in forms_of(entry):
            if re.fullmatch(r"[\d\s.,/-]+", form) or form.lower() in GENERIC_NOUNS:
                bad.append((entry["name"], form))
    assert bad == []


def test_categories_covered(entries):
    counts = Counter(entry["category"] for entry in entries)
    for category in CATEGORIES:
        if category != "other":
            assert counts[category] >= 3, category
    short = {cat: (counts[cat], need) for cat, need in MINIMUM_PER_CATEGORY.items() if counts[cat] < need}
    assert short == {}


def test_one_spelling_per_manufacturer(entries):
    """Spellings of one company that differ only in case or spacing are a data error."""
    seen: dict[str, str] = {}
    for entry in entries:
        name = entry.get("manufacturer")
        if name:
            key = re.sub(r"[\s\-]+", "", name.casefold())
            assert seen.setdefault(key, name) == name, (name, seen[key])


def test_systems_of_the_brief_are_known(entries):
    by_form = {form: entry for entry in entries for form in forms_of(entry)}
    expected = {
        "Rafale": ("combat_aircraft", "FRA"), "F-16": ("combat_aircraft", "USA"),
        "F16": ("combat_aircraft", "USA"), "Su-57": ("combat_aircraft", "RUS"),
        "Soukhoï Su-35": ("combat_aircraft", "RUS"), "Mig-29": ("combat_aircraft", "RUS"),
        "JF-17": ("combat_aircraft", "PAK"), "KAAN": ("combat_aircraft", "TUR"),
        "A400M": ("aircraft", None), "C-390": ("aircraft", "BRA"), "MRTT": ("aircraft", None),
        "Caracal": ("helicopter", "FRA"), "Ka-52": ("helicopter", "RUS"),
        "Bayraktar TB2": ("uav", "TUR"), "TB2": ("uav", "TUR"), "Heron": ("uav", "ISR"),
        "Wing Loong II": ("uav", "CHN"), "Shahed-136": ("loitering_munition", "IRN"),
        "Geran-2": ("loitering_munition", "IRN"), "Harop": ("loitering_munition", "ISR"),
        "S-400": ("air_defense", "RUS"), "Patriot": ("air_defense", "USA"),
        "Barak 8": ("air_defense", "ISR"), "Dôme de fer": ("air_defense", "ISR"),
        "Cheongung": ("air_defense", "KOR"), "Mistral": ("air_defense", "FRA"),
        "SCALP": ("missile", None), "Storm Shadow": ("missile", None), "Kalibr": ("missile", "RUS"),
        "BrahMos": ("missile", "IND"), "Fateh-110": ("missile", "IRN"),
        "Caesar": ("artillery", "FRA"), "K9": ("artillery", "KOR"), "HIMARS": ("artillery", "USA"),
        "K239": ("artillery", "KOR"), "Léopard 2": ("tank", "DEU"), "K2": ("tank", "KOR"),
        "T-90M": ("tank", "RUS"), "VBCI": ("armored_vehicle", "FRA"), "Kirpi": ("armored_vehicle", "TUR"),
        "FREMM": ("naval_vessel", None), "Belharra": ("naval_vessel", "FRA"),
        "classe Mistral": ("naval_vessel", "FRA"), "Scorpène": ("submarine", "FRA"),
        "classe Kilo": ("submarine", "RUS"), "Tavor": ("small_arms", "ISR"),
        "kalachnikov": ("small_arms", "RUS"), "JDAM": ("ammunition", "USA"),
        "Pegasus": ("spyware", "ISR"), "Predator": ("spyware", None), "MQ-1 Predator": ("uav", "USA"),
        "EnforceAir": ("counter_uav", "ISR"), "GM400": ("sensor", "FRA"),
        "EL/M-2084": ("sensor", "ISR"), "Krasukha-4": ("electronic_warfare", "RUS"),
    }
    wrong = {}
    for form, (category, country) in expected.items():
        entry = by_form.get(form)
        got = (entry["category"], entry["country"]) if entry else None
        if got != (category, country):
            wrong[form] = got
    assert wrong == {}


def test_gold_weapon_norms_match_the_lexicon(entries):
    """Every named weapon of the gold annotation gets the gold's norm from the lexicon (a
    generic noun standing for a named system, `les drones` -> Heron, is the resolver's job:
    only designations, which hold a capital or a digit, are checked here)."""
    by_name = {entry["name"]: entry for entry in entries}
    gold = [json.loads(line) for line in GOLD_ENTITIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    named = [g for g in gold if g["label"] == "WEAPON" and g["norm"].get("name")
             and any(ch.isupper() or ch.isdigit() for ch in g["text"])]
    assert named, "the gold annotation has named weapons"
    for mention in named:
        norm = mention["norm"]
        entry = by_name.get(norm["name"])
        assert entry is not None, norm["name"]
        assert mention["text"].split()[0] in forms_of(entry), mention["text"]
        assert (entry["category"], entry.get("manufacturer"), entry.get("country")) == (
            norm["category"], norm["manufacturer"], norm["country"]), norm["name"]


def test_words_that_need_context_are_flagged(entries):
    by_name = {entry["name"]: entry for entry in entries}
    for name in ("Rafale", "Tigre", "Mistral", "Caesar", "Leopard 2", "Cobra", "Jaguar", "Griffon",
                 "Serval", "Barak", "Arrow", "Spike", "Patriot", "Leclerc", "Negev", "K2", "K9"):
        assert by_name[name].get("ambiguous") is True, name


def test_loader_reads_the_file():
    lexicons = pytest.importorskip("pipeline.lexicons")
    load_weapons = getattr(lexicons, "load_weapons", None)
    if load_weapons is None:
        pytest.skip("pipeline.lexicons has no load_weapons yet")
    if hasattr(load_weapons, "cache_clear"):
        load_weapons.cache_clear()
    try:
        lexicon = load_weapons()
    except lexicons.RuleError as error:
        if "variants" in str(error):
            pytest.skip(f"load_weapons does not accept the `variants` key yet: {error}")
        raise
    assert lexicon.lookup("Heron")["category"] == "uav"
    assert lexicon.lookup("BAYRAKTAR TB2")["name"] == "Bayraktar TB2"
    assert lexicon.lookup("Su-30MKI")["name"] == "Su-30"          # a variant keeps the family name
    assert lexicon.lookup("Barak MX")["name"] == "Barak"
    assert lexicon.lookup("David’s Sling")["name"] == "David's Sling"
    assert lexicon.lookup("Predator")["category"] == "spyware"
    assert lexicon.lookup("MQ-1 Predator")["category"] == "uav"
    assert "Rafale" in lexicon.ambiguous


# ---------------------------------------------------------------- type and variant (SCHEMA.md)
# Sentences written for these tests. `name` is the type as an arms-transfer register counts it;
# `variant` is the sub-designation as written when a form listed under `variants:` matched.
TYPE_AND_VARIANT = [
    ("L'Inde a reçu ses premiers Rafale Marine pour le porte-avions.", "Rafale Marine", "Rafale", "Rafale Marine"),
    ("Athènes fait moderniser ses F-16 Block 72 aux États-Unis.", "F-16 Block 72", "F-16", "F-16 Block 72"),
    ("Taïwan a reçu des F-16V supplémentaires.", "F-16V", "F-16", "F-16V"),
    ("La Lituanie a commandé des Leopard 2A8 à Munich.", "Leopard 2A8", "Leopard 2", "Leopard 2A8"),
    ("Islamabad aligne désormais des J-10C chinois.", "J-10C", "J-10", "J-10C"),
    ("Alger a reçu d'autres Su-30MKA l'an dernier.", "Su-30MKA", "Su-30", "Su-30MKA"),
    ("Le Caire a longtemps négocié des Su-35 avec Moscou.", "Su-35", "Su-35", None),
    ("Berlin a acheté le système Arrow 3 à Jérusalem.", "Arrow 3", "Arrow 3", None),
    ("L'armée a aussi reçu des Mi-171 et des Mi-35.", "Mi-171", "Mi-171", None),
    ("Abou Dhabi dispose de missiles Black Shaheen.", "Black Shaheen", "Black Shaheen", None),
    ("Varsovie a commandé des K239 Chunmoo à Séoul.", "K239 Chunmoo", "K239 Chunmoo", None),
    ("Pékin a exporté le Wing Loong II vers le Golfe.", "Wing Loong II", "Wing Loong II", None),
    ("Bagdad a reçu des chars Abrams M1A1 d'occasion.", "Abrams M1A1", "M1 Abrams", "Abrams M1A1"),
    ("Le Maroc a commandé des Abrams américains.", "Abrams", "M1 Abrams", None),
    ("La Pologne a renoncé à acheter des Caracal.", "Caracal", "H225M Caracal", None),
    ("Le sous-marin Riachuelo a rejoint la marine brésilienne.", "Riachuelo", "Scorpène", "Riachuelo"),
    ("LES RAFALE F4 SONT ARRIVÉS.", "RAFALE F4", "Rafale", "RAFALE F4"),
    ("La Marine promeut ses torpilles F-21 à l'export.", "F-21", "F21", None),
]


@pytest.fixture(scope="module")
def weapon_finder():
    """A blank French pipeline with the weapon lexicon's forms as phrase patterns, and the
    resolver that builds the norms (no model: neither needs one)."""
    spacy = pytest.importorskip("spacy")
    from pipeline.lexicons import load_weapons
    from pipeline.resolve import Resolver
    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "weapons", "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": "WEAPON", "pattern": form, "id": key}
                        for form, key in load_weapons().forms.items()])
    return nlp, Resolver()


def weapon_norms(weapon_finder, sentence: str) -> dict[str, dict]:
    from spacy.util import filter_spans

    from pipeline.resolve import Candidate
    nlp, resolver = weapon_finder
    doc = nlp(sentence)
    out = {}
    for span in filter_spans(list(doc.spans["weapons"])):
        cand = Candidate("WEAPON", span.start, span.end, "rules", "lexicon", span.id_)
        out[span.text] = resolver.weapon_norm(doc, cand, span)
    return out


@pytest.mark.parametrize("sentence,text,name,variant", TYPE_AND_VARIANT,
                         ids=[case[1] for case in TYPE_AND_VARIANT])
def test_norm_gives_the_type_and_the_variant_as_written(weapon_finder, sentence, text, name, variant):
    norms = weapon_norms(weapon_finder, sentence)
    assert text in norms, norms
    norm = norms[text]
    assert (norm["name"], norm["variant"]) == (name, variant)
    assert list(norm) == ["name", "variant", "category", "manufacturer", "country"]


def test_every_loaded_record_has_a_variant_key():
    from pipeline.lexicons import load_weapons
    lexicon = load_weapons()
    for key, record in lexicon.entries.items():
        assert "variant" in record, key
        assert (record["variant"] is None) == ("|" not in key), key


def test_numbered_models_of_one_family_are_types_of_their_own(entries):
    """Own number, own type (SCHEMA.md): the family word alone stays an entry."""
    by_form = {form: entry["name"] for entry in entries for form in forms_of(entry)}
    for form, name in {"Arrow": "Arrow", "Arrow 2": "Arrow 2", "Arrow-3": "Arrow 3", "Arrow 4": "Arrow 4",
                       "Aster 15": "Aster 15", "Aster 30 B1NT": "Aster 30", "Barak 8": "Barak 8",
                       "Barak MX": "Barak", "Paveway IV": "Paveway IV", "GBU-12": "Paveway II",
                       "Mi-171Sh": "Mi-171", "Mi-17V-5": "Mi-17", "Mi-35M": "Mi-35", "Ka-31": "Ka-31",
                       "MiG-27": "MiG-27", "Agni-V": "Agni-V", "Agni-5": "Agni-V", "Hwasong-17": "Hwasong-17",
                       "Switchblade 600": "Switchblade 600", "Hero-120": "Hero-120", "BTR-82A": "BTR-82",
                       "Black Shaheen": "Black Shaheen", "Storm Shadow": "SCALP", "SCALP Naval": "Naval Scalp",
                       "FA-50PL": "FA-50", "T-50i": "T-50", "KC-390": "C-390", "Strv 122": "Leopard 2"}.items():
        assert by_form.get(form) == name, form


def test_torpedoes_are_counted_with_missiles(entries):
    by_name = {entry["name"]: entry for entry in entries}
    for name in ("F21", "MU90", "Mk 48", "Mk 54", "Black Shark", "DM2A4", "Spearfish", "Sting Ray"):
        assert by_name[name]["category"] == "missile", name


def test_decisions_state_the_type_and_variant_rule():
    head = WEAPONS.read_text(encoding="utf-8").split("\n- name:", 1)[0]
    assert "DECISIONS" in head and "Type and variant" in head and "own number" in head


@pytest.mark.model
def test_pipeline_writes_type_and_variant():
    """End to end, with the model: the WEAPON norms of sentences written for this test."""
    from pipeline.nlp import build_nlp
    nlp = build_nlp()
    text = ("Le ministère grec a signé pour la modernisation de ses F-16 Block 72, tandis que "
            "l'armée de l'air indienne attend ses Rafale Marine. Berlin a aussi commandé le "
            "système antimissile Arrow 3 et des chars Leopard 2A8.")
    doc = nlp(text)
    got = {(m["text"], m["norm"]["name"], m["norm"]["variant"])
           for m in doc._.arms_mentions if m["label"] == "WEAPON"}
    assert {("F-16 Block 72", "F-16", "F-16 Block 72"), ("Rafale Marine", "Rafale", "Rafale Marine"),
            ("Arrow 3", "Arrow 3", None), ("Leopard 2A8", "Leopard 2", "Leopard 2A8")} <= got
    assert all("variant" in m["norm"] for m in doc._.arms_mentions if m["label"] == "WEAPON")
