"""Load and check the data files of rules/: word lists, token patterns and lexicons.

Every loader validates what it reads (unknown keys, labels, categories, duplicate forms)
and raises `RuleError` naming the file and the entry, so a typo in a data file fails at
start-up rather than silently matching nothing.
"""
from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from .config import ENTITY_LABELS, RULES_DIR
from .rule_cache import load_or_build

# libyaml's C loader when PyYAML was built with it (7x faster on rules/, same results)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

WEAPON_CATEGORIES = (
    "combat_aircraft", "aircraft", "helicopter", "uav", "loitering_munition", "air_defense",
    "missile", "artillery", "tank", "armored_vehicle", "naval_vessel", "submarine",
    "small_arms", "ammunition", "spyware", "counter_uav", "sensor", "electronic_warfare", "other",
)
ORG_TYPES = ("company", "armed_forces", "government", "media", "ngo", "armed_group",
             "intergovernmental", "other")
PATTERN_KEYS = {"id", "label", "pattern", "examples", "type", "context", "not_followed_by"}


class RuleError(ValueError):
    """A data file of rules/ is malformed."""


def rules_path(*parts: str, rules_dir: Path | None = None) -> Path:
    """Path of a file under the rules directory."""
    return (rules_dir or RULES_DIR).joinpath(*parts)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file (UTF-8); the parse is kept by `rule_cache` under the hash of the
    file's bytes (building Python objects from YAML takes most of a start otherwise)."""
    data = path.read_bytes()
    key = hashlib.sha256(data + SAFE_LOADER.__name__.encode()).hexdigest()
    return load_or_build(f"yaml-{path.parent.name}-{path.stem}", key, lambda: yaml.load(data.decode("utf-8"), Loader=SAFE_LOADER))


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file whose leading `#` lines are comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def check_keys(entry: dict, allowed: set[str], required: set[str], where: str) -> None:
    """Reject unknown or missing keys, naming them."""
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: expected a mapping, got {entry!r}")
    unknown = set(entry) - allowed
    missing = required - set(entry)
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}")
    if missing:
        raise RuleError(f"{where}: missing key(s) {sorted(missing)}")


# ---------------------------------------------------------------------------- word lists


@functools.lru_cache(maxsize=4)
def load_vocab(rules_dir: Path | None = None) -> dict[str, Any]:
    """The word lists of rules/vocab.yaml."""
    return read_yaml(rules_path("vocab.yaml", rules_dir=rules_dir))


# ------------------------------------------------------------------------------ money


@dataclass(frozen=True)
class MoneyLexicon:
    """Currency names, symbols, scale words and qualifiers, all keyed by surface form."""

    names: dict[str, str]            # lower-case currency name -> ISO 4217
    symbols: dict[str, str]          # symbol or code as written -> ISO 4217
    scales: dict[str, float]         # scale word as written -> factor
    fused: dict[str, tuple[float, str]]  # "M€" -> (1e6, "EUR")
    qualifiers: dict[str, str]       # lower-case words before an amount -> qualifier


@functools.lru_cache(maxsize=4)
def load_money(rules_dir: Path | None = None) -> MoneyLexicon:
    """Merge the generated currency table with the hand-made press forms."""
    names: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for row in read_csv(rules_path("money", "currencies.csv", rules_dir=rules_dir)):
        code = row["code"]
        symbols.setdefault(code, code)
        for form in (row.get("singular"), row.get("plural")):
            if form:
                names.setdefault(form.lower(), code)
        symbol = row.get("symbol") or ""
        if symbol and symbol != code and not symbol.isalpha():
            symbols.setdefault(symbol, code)
    extra = read_yaml(rules_path("money", "currencies_extra.yaml", rules_dir=rules_dir))
    for item in extra.get("names", []):
        names[item["form"].lower()] = item["code"]
    for item in extra.get("symbols", []):
        symbols[item["form"]] = item["code"]
    scales = {item["form"]: float(item["factor"]) for item in extra.get("scales", [])}
    for form, factor in list(scales.items()):
        if len(form) > 3:  # words, not abbreviations: also capitalised
            scales.setdefault(form.capitalize(), factor)
    fused = {item["form"]: (float(item["factor"]), item["code"])
             for item in extra.get("compound_symbols", [])}
    qualifiers = {item["form"].lower(): item["qualifier"] for item in extra.get("qualifiers", [])}
    return MoneyLexicon(names, symbols, scales, fused, qualifiers)


def money_word_lists(money: MoneyLexicon) -> dict[str, list[str]]:
    """Token lists the money patterns refer to, derived from the money lexicon."""
    first_words: set[str] = set()
    tails: set[str] = set()
    for name in money.names:
        words = name.replace("’", "'").split()
        first_words.add(words[0])
        tails.update(words[1:])
    tails -= {"de", "d'"}
    return {
        "currency_words": sorted(first_words),
        "currency_tails": sorted(tails | {"de", "hong", "kong"}),
        "currency_symbols": sorted(money.symbols),
        "compound_symbols": sorted(money.fused),
        "scales": sorted(money.scales),
    }


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class PatternRule:
    """One token pattern with its label, id and examples."""

    id: str
    label: str
    pattern: list[dict]
    examples: tuple[str, ...]
    type: str | None = None          # ORG type given to a match (organisation patterns)
    context: tuple[str, ...] = ()    # lemmas one of which the sentence must hold, if any
    not_followed_by: tuple[dict, ...] = ()  # token descriptions the token after a match must not fit


def expand_pattern(items: list, tokens: dict[str, dict], lists: dict[str, Any], where: str) -> list[dict]:
    """Replace `@name` token references and `$list` placeholders in a pattern."""
    expanded = []
    for item in items:
        if isinstance(item, str) and item.startswith("@"):
            name, op = item[1:], None
            if name[-1] in "?*+":
                name, op = name[:-1], name[-1]
            if name not in tokens:
                raise RuleError(f"{where}: unknown token name @{name}")
            token = dict(tokens[name])
            if op:
                token["OP"] = op
            item = token
        expanded.append(_substitute_lists(item, lists, where))
    return expanded


def _substitute_lists(value: Any, lists: dict[str, Any], where: str) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in lists:
            raise RuleError(f"{where}: unknown word list {value}")
        words = lists[value[1:]]
        return sorted(words) if isinstance(words, (dict, set)) else list(words)
    if isinstance(value, dict):
        return {key: _substitute_lists(item, lists, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute_lists(item, lists, where) for item in value]
    return value


def pattern_lists(rules_dir: Path | None = None) -> dict[str, Any]:
    """All word lists a pattern may name: rules/vocab.yaml plus the money lists."""
    lists = dict(load_vocab(rules_dir))
    lists.update(money_word_lists(load_money(rules_dir)))
    lists["demonyms"] = sorted(load_demonyms(rules_dir))
    lists["countries"] = sorted({record["name"].lower() for record in load_places(rules_dir).entries.values()
                                 if record["type"] == "country"})
    return lists


@functools.lru_cache(maxsize=32)
def load_patterns(name: str, rules_dir: Path | None = None) -> tuple[PatternRule, ...]:
    """Load rules/patterns/<name>.yaml, expanded and checked (once per process: the span
    finder, the resolver and the name normaliser all read them)."""
    path = rules_path("patterns", f"{name}.yaml", rules_dir=rules_dir)
    data = read_yaml(path)
    tokens = data.get("tokens", {})
    lists = pattern_lists(rules_dir)
    rules, seen = [], set()
    for index, entry in enumerate(data["patterns"]):
        where = f"{path.name} pattern #{index}"
        check_keys(entry, PATTERN_KEYS, {"id", "label", "pattern"}, where)
        if entry["label"] not in ENTITY_LABELS:
            raise RuleError(f"{where}: unknown label {entry['label']!r}")
        if entry["id"] in seen:
            raise RuleError(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        pattern = expand_pattern(entry["pattern"], tokens, lists, f"{where} ({entry['id']})")
        followers = _followers(entry.get("not_followed_by") or [], tokens, lists, f"{where} ({entry['id']})")
        rules.append(PatternRule(entry["id"], entry["label"], pattern,
                                 tuple(entry.get("examples", [])), entry.get("type"),
                                 tuple(entry.get("context") or ()), followers))
    return tuple(rules)


def _followers(items: list, tokens: dict[str, dict], lists: dict[str, Any], where: str) -> tuple[dict, ...]:
    """A pattern's `not_followed_by`: one-token descriptions, without an `OP`."""
    if not isinstance(items, list):
        raise RuleError(f"{where}: not_followed_by must be a list of token descriptions")
    followers = expand_pattern(items, tokens, lists, where)
    if not all(isinstance(token, dict) and "OP" not in token for token in followers):
        raise RuleError(f"{where}: not_followed_by takes token descriptions without OP")
    return tuple(followers)


def noun_category(rule_id: str) -> str:
    """The weapon category of a `noun:<category>[_suffix]` pattern id."""
    tail = rule_id.split(":", 1)[1]
    matches = [cat for cat in WEAPON_CATEGORIES if tail == cat or tail.startswith(cat + "_")]
    if not matches:
        raise RuleError(f"pattern id {rule_id!r} names no weapon category")
    return max(matches, key=len)


# ---------------------------------------------------------------------------- lexicons


@dataclass
class Lexicon:
    """Named entities of one label: canonical records and their surface forms."""

    label: str
    entries: dict[str, dict] = field(default_factory=dict)   # key -> record (norm fields)
    forms: dict[str, str] = field(default_factory=dict)      # surface form -> key
    ambiguous: set[str] = field(default_factory=set)         # keys needing context

    def add(self, key: str, record: dict, forms: list[str], where: str) -> None:
        """Register an entry and its forms; a form already taken by another key is an error."""
        self.entries[key] = record
        for form in _apostrophe_variants(forms):
            form = form.strip()
            if not form:
                continue
            owner = self.forms.get(form)
            if owner is not None and owner != key:
                raise RuleError(f"{where}: form {form!r} already belongs to {owner!r}")
            self.forms[form] = key

    def lookup(self, form: str) -> dict | None:
        """The record for a surface form, if the lexicon knows it."""
        key = self.forms.get(form)
        return self.entries.get(key) if key else None


def _apostrophe_variants(forms: list[str]) -> list[str]:
    """Each form as written, plus its twin with the other apostrophe (' and ’)."""
    out: list[str] = []
    for form in forms:
        out.append(form)
        for a, b in (("'", "’"), ("’", "'")):
            if a in form:
                out.append(form.replace(a, b))
    return list(dict.fromkeys(out))


def _upper_variant(form: str) -> list[str]:
    upper = form.upper()
    return [form, upper] if upper != form and len(form) > 3 else [form]


@functools.lru_cache(maxsize=4)
def load_weapons(rules_dir: Path | None = None) -> Lexicon:
    """rules/weapons.yaml: canonical name, category, manufacturer, country, aliases, variants.

    The name and the aliases are registered under the name with `variant: None`; each form
    listed under `variants:` under its own key `name|variant`, with the family's record and
    `variant` set to the form (SCHEMA.md: `name` is the type, `variant` the sub-designation)."""
    path = rules_path("weapons.yaml", rules_dir=rules_dir)
    lexicon = Lexicon("WEAPON")
    allowed = {"name", "category", "manufacturer", "country", "aliases", "variants", "ambiguous"}
    for index, entry in enumerate(read_yaml(path)):
        where = f"{path.name} entry #{index} ({entry.get('name')})"
        check_keys(entry, allowed, {"name", "category"}, where)
        if entry["category"] not in WEAPON_CATEGORIES:
            raise RuleError(f"{where}: unknown category {entry['category']!r}")
        record = {"name": entry["name"], "variant": None, "category": entry["category"],
                  "manufacturer": entry.get("manufacturer"), "country": entry.get("country")}
        forms = [v for form in [entry["name"], *(entry.get("aliases") or [])] for v in _upper_variant(str(form))]
        lexicon.add(entry["name"], record, forms, where)
        for variant in entry.get("variants") or []:
            # A sub-variant keeps the family's record and remembers its own designation.
            key = f"{entry['name']}|{variant}"
            lexicon.add(key, {**record, "variant": str(variant)}, _upper_variant(str(variant)), where)
            if entry.get("ambiguous"):
                lexicon.ambiguous.add(key)
        if entry.get("ambiguous"):
            lexicon.ambiguous.add(entry["name"])
    return lexicon


@functools.lru_cache(maxsize=4)
def load_organisations(rules_dir: Path | None = None) -> Lexicon:
    """rules/organisations.yaml: canonical name, type, country, aliases."""
    path = rules_path("organisations.yaml", rules_dir=rules_dir)
    lexicon = Lexicon("ORG")
    for index, entry in enumerate(read_yaml(path)):
        where = f"{path.name} entry #{index} ({entry.get('name')})"
        check_keys(entry, {"name", "type", "country", "aliases", "ambiguous"}, {"name", "type"}, where)
        if entry["type"] not in ORG_TYPES:
            raise RuleError(f"{where}: unknown type {entry['type']!r}")
        record = {"name": entry["name"], "type": entry["type"], "country": entry.get("country")}
        lexicon.add(entry["name"], record, [entry["name"], *map(str, entry.get("aliases") or [])], where)
        if entry.get("ambiguous"):
            lexicon.ambiguous.add(entry["name"])
    return lexicon


@functools.lru_cache(maxsize=4)
def load_persons(rules_dir: Path | None = None) -> Lexicon:
    """rules/persons.yaml: well-known people, so a surname alone gets its full name."""
    path = rules_path("persons.yaml", rules_dir=rules_dir)
    lexicon = Lexicon("PER")
    for index, entry in enumerate(read_yaml(path)):
        where = f"{path.name} entry #{index} ({entry.get('name')})"
        check_keys(entry, {"name", "aliases", "country", "role"}, {"name"}, where)
        record = {"name": entry["name"], "country": entry.get("country"), "role": entry.get("role")}
        lexicon.add(entry["name"], record, [entry["name"], *map(str, entry.get("aliases") or [])], where)
    return lexicon


@functools.lru_cache(maxsize=4)
def load_places(rules_dir: Path | None = None) -> Lexicon:
    """Countries (generated from CLDR), overrides, periphrases, cities and regions."""
    lexicon = Lexicon("LOC")
    extra = read_yaml(rules_path("places", "places.yaml", rules_dir=rules_dir))
    overrides = extra.get("country_overrides") or {}
    for row in read_csv(rules_path("places", "countries.csv", rules_dir=rules_dir)):
        iso3 = row["iso3"]
        override = overrides.get(iso3) or {}
        name = _country_name(row, overrides)
        forms = [row["name"], name, *filter(None, (row.get("variants") or "").split("|")),
                 *override.get("aliases", [])]
        forms += [_unaccent_capital(form) for form in forms]
        kind = "region" if override.get("type") == "region" else "country"
        lexicon.add(f"country:{iso3}", {"name": name, "type": kind, "country": iso3},
                    list(dict.fromkeys(forms)), f"countries.csv {iso3}")
    for item in extra.get("periphrases") or []:
        key = f"country:{item['iso3']}"
        lexicon.add(key, lexicon.entries[key], [item["text"], _unaccent_capital(item["text"])], "places.yaml periphrases")
    for kind, section in (("city", "cities"), ("region", "regions")):
        for item in extra.get(section) or []:
            key = f"{kind}:{item['name']}"
            forms = [item["name"], *(item.get("aliases") or [])]
            forms += [_unaccent_capital(form) for form in forms]
            lexicon.add(key, {"name": item["name"], "type": kind, "country": item.get("iso3")},
                        list(dict.fromkeys(forms)), f"places.yaml {section} {item['name']}")
    return lexicon


def _country_name(row: dict[str, str], overrides: dict) -> str:
    """The canonical French name of a countries.csv row (places.yaml may override CLDR's)."""
    return (overrides.get(row["iso3"]) or {}).get("name") or row["name"]


@functools.lru_cache(maxsize=4)
def country_names(rules_dir: Path | None = None) -> dict[str, str]:
    """ISO alpha-3 -> the canonical French name the LOC norm gives (`ISR` -> `Israël`)."""
    overrides = read_yaml(rules_path("places", "places.yaml", rules_dir=rules_dir)).get("country_overrides") or {}
    return {row["iso3"]: _country_name(row, overrides)
            for row in read_csv(rules_path("places", "countries.csv", rules_dir=rules_dir))}


@functools.lru_cache(maxsize=4)
def load_demonyms(rules_dir: Path | None = None) -> dict[str, str]:
    """Lower-case demonym adjective (all genders and numbers) -> ISO alpha-3."""
    return {row["form"].lower(): row["iso3"]
            for row in read_csv(rules_path("places", "demonyms.csv", rules_dir=rules_dir))}


def _unaccent_capital(form: str) -> str:
    """`États-Unis` -> `Etats-Unis`: the press often drops accents on capitals."""
    table = str.maketrans({"É": "E", "È": "E", "Ê": "E", "À": "A", "Î": "I", "Ô": "O"})
    return form.translate(table)


def iter_examples(rules: list[PatternRule]) -> Iterator[tuple[PatternRule, str, str]]:
    """(rule, sentence, expected span) for every `sentence => span` example."""
    for rule in rules:
        for example in rule.examples:
            sentence, _, expected = example.partition(" => ")
            yield rule, sentence, expected
