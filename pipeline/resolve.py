"""Entity resolution: from rule candidates and model entities to one set of mentions.

The policy, in order:
1. Rule candidates (lexicons and token patterns) are filtered by context: an ambiguous
   lexicon name (`Rafale`, `Globes`) needs a cue; an equipment noun directly followed by a
   designation (`drones Bayraktar TB2`, `frégates de classe X`) gives way to the designation.
2. Among rule candidates, the longest span wins; equal spans go by label priority.
3. The model's PER/ORG/LOC spans are cleaned (articles, titles, line breaks) and kept where
   no rule span overlaps them: rules know better where they have an opinion.
4. Every mention is normalised (`pipeline/normalize/`), persons are linked within the
   document (`Lecornu` -> `Sébastien Lecornu`), and the DCT is inferred when unknown.

The result is `doc._.arms_mentions`: a list of plain dicts, ready to be written as JSON.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span

from .config import ENTITY_LABELS, PATTERN_FILES
from .date_direction import DocWords, date_direction, load_direction_rules
from .lexicons import (Lexicon, load_organisations, load_patterns, load_persons, load_places,
                       load_vocab, load_weapons, noun_category, read_yaml, rules_path)
from .normalize.dates import FULL_DAY, normalize_date
from .normalize.durations import normalize_duration
from .normalize.money import currency_candidates, normalize_money
from .normalize.names import NameNormalizer, fold
from .pattern_spans import FollowerGuard
from .sentences import SentenceIndex, chars_through

# Equal-length rule spans: the first label listed wins.
RULE_PRIORITY = ("WEAPON", "ORG", "PER", "LOC", "MONEY", "DATE", "DURATION")
LABEL_RANK = {label: rank for rank, label in enumerate(RULE_PRIORITY)}
NER_LABELS = ("PER", "ORG", "LOC")
NAMING_PREFIXES = ("baptis", "rebaptis", "nomm", "renomm", "dénomm", "appel")
AFTER_REACH = 8  # characters after a DATE that tell `la veille de la visite` from `la veille,`
# The norm field a mention cannot be written without (schemas/entities.schema.json): a span
# the normaliser cannot read (`¥ 0,0,0`, `31 février 2023`) is dropped with a warning.
REQUIRED_NORM = {"MONEY": "amount", "DATE": "value", "DURATION": "value"}


@dataclass
class Candidate:
    """A span proposed by the rules or the model, before the choice."""

    label: str
    start: int          # token offsets
    end: int
    source: str         # "rules" or "ner"
    kind: str           # "lexicon", "pattern", "designation" or "ner"
    key: str | None = None   # lexicon key or pattern id
    extra: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


@functools.lru_cache(maxsize=4)
def load_resolver_words(rules_dir: Path | None = None) -> dict:
    """rules/resolver.yaml and rules/roles.yaml, as sets where lists."""
    data = read_yaml(rules_path("resolver.yaml", rules_dir=rules_dir))
    roles = read_yaml(rules_path("roles.yaml", rules_dir=rules_dir))
    words = {key: set(value) if isinstance(value, list) else value for key, value in data.items()}
    title_words: set[str] = set()
    for phrase in [*roles["ranks"], *roles["functions"], *roles["honorifics"]]:
        title_words.update(re.split(r"[\s'’]+", phrase.lower()))
    words["title_words"] = title_words - {"", "de", "la", "le", "l", "du", "des", "d", "à", "auprès"}
    # words a model span may start with that are not part of the name ("le", "ministre")
    words["words_before_names"] = words["leading_function_words"] | words["title_words"]
    words["number_words"] = set(load_vocab(rules_dir)["number_words"])
    # the first word of each function and rank ("ministre", "général", "porte-parole")
    words["role_heads"] = {re.split(r"[\s'’]+", p.lower())[0] for p in [*roles["ranks"], *roles["functions"]]}
    return words


def category_group_of(groups: dict[str, list[str]]) -> dict[str, str]:
    """`category_groups` of rules/resolver.yaml as weapon category -> its group."""
    return {category: group for group, categories in groups.items() for category in categories}


class Resolver:
    """The `arms_resolver` component (see pipeline/components.py)."""

    def __init__(self, rules_dir: Path | None = None):
        self.rules_dir = rules_dir
        self.lexicons: dict[str, Lexicon] = {
            "WEAPON": load_weapons(rules_dir), "ORG": load_organisations(rules_dir),
            "LOC": load_places(rules_dir), "PER": load_persons(rules_dir),
        }
        self.words = load_resolver_words(rules_dir)
        self.category_group = category_group_of(self.words["category_groups"])
        rules = [rule for name in PATTERN_FILES for rule in load_patterns(name, rules_dir)]
        self.pattern_context = {rule.id: set(rule.context) for rule in rules if rule.context}
        self.followers = FollowerGuard(rules)
        self.names = NameNormalizer(rules_dir)
        self.direction_rules = load_direction_rules(rules_dir)
        self._rules_by_hash: dict[tuple[int, int], tuple[str, str, str]] = {}  # see rule_of
        self.doc_words: DocWords | None = None  # the words of the doc being resolved (date_direction)

    def __call__(self, doc: Doc) -> Doc:
        return run_guarded(doc, self.resolve, "entity resolution", "mentions")

    def resolve(self, doc: Doc) -> Doc:
        self.sents = SentenceIndex.for_doc(doc)
        self.text = self.sents.text
        self.doc_words = None
        self.model_ents = doc.ents  # built from the tokens at each access
        self.model_tokens = {i for ent in self.model_ents for i in range(ent.start, ent.end)}
        candidates = drop_descriptions_around_names(self.rule_candidates(doc))
        chosen = [c for c in self.attach_designations(doc, choose_longest(candidates))
                  if not is_blocker(c)]
        chosen = [c for c in chosen if not (c.label == "PER" and self.names_a_ship(doc, c, chosen))]
        chosen = choose_longest(self.add_ner(doc, chosen))
        chosen.sort(key=lambda c: (c.start, c.end, c.label))
        source = doc._.arms_source or {}
        dct = dict(source.get("dct") or {"value": None, "source": None})
        # each mention's span, made once: normalised, then set as the doc's entity
        spans = [Span(doc, c.start, c.end, label=c.label) for c in chosen]
        if not dct.get("value"):
            dct = infer_dct(chosen, spans) or dct
        doc._.arms_source = {**source, "dct": dct}
        records = self.mentions(doc, chosen, spans, dct.get("value"))
        readable = []
        for i, record in enumerate(records):
            if (field_name := unreadable_norm(record)) is None:
                readable.append(i)
            else:
                add_warning(doc, f"{record['label']} {record['text']!r} at {record['start']}: "
                                 f"no readable {field_name}, mention not written")
        doc._.arms_mentions = [records[i] for i in readable]
        doc.set_ents([spans[i] for i in readable])  # (`doc.ents = spans` makes each span again)
        return doc

    # ------------------------------------------------------------------ candidates

    def rule_candidates(self, doc: Doc) -> list[Candidate]:
        """The SpanRuler's matches, filtered by context and shape."""
        out: list[Candidate] = []
        for span in doc.spans.get("arms_candidates", []):
            label, kind, key = self.rule_of(span)
            cand = Candidate(label, span.start, span.end, "rules", kind, key)
            if kind == "lexicon" and key in self.lexicons[label].ambiguous:
                if not self.ambiguous_is_entity(doc, cand):
                    continue
            if kind == "pattern" and not self.pattern_span_ok(span, label, key):
                continue
            out.append(cand)
        return out

    def rule_of(self, span: Span) -> tuple[str, str, str]:
        """(label, kind, key) of a span finder match: its label and its id `kind:key`, read
        once per rule (the span keeps them as string hashes)."""
        hashes = (span.label, span.id)
        rule = self._rules_by_hash.get(hashes)
        if rule is None:
            kind, _, key = span.id_.partition(":")
            rule = self._rules_by_hash[hashes] = (span.label_, kind, key)
        return rule

    def pattern_span_ok(self, span: Span, label: str, pattern_id: str) -> bool:
        """Token-pattern matches that are cut mid-phrase or part of a name are refused:
        a span ending on `de`/`d'` (`fusil d'`), one whose next token fits the pattern's
        `not_followed_by` (`le 20` of `le 20 heures`), a number word capitalised inside a
        sentence (`la guerre des Six jours`), or a capitalised equipment noun right after a
        capitalised word (`Lockheed Martin Missiles`)."""
        if span[-1].lower_ in ("de", "d'", "d’", "du", "des"):
            return False
        context = self.pattern_context.get(pattern_id)
        sent = self.sents.of(span.start)
        if context and context.isdisjoint(self.sents.lemmas_and_forms(sent)):
            return False
        if self.followers.refuses(span, pattern_id):
            return False
        first = span[0]
        if label == "WEAPON" and first.text[0].isupper() and first.i > sent.start \
                and first.nbor(-1).text[:1].isupper():
            return False  # an equipment noun inside a name: `Lockheed Martin Missiles & Fire Control`
        return not (label in ("DATE", "DURATION", "MONEY") and first.is_alpha and first.text[0].isupper()
                    and first.i > sent.start
                    and first.lower_ in self.words["number_words"])

    def attach_designations(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """An equipment noun followed by a designation gives way to it (`chars Leopard`);
        an unknown designation becomes a named WEAPON (`drones de type Xyz-3`)."""
        named = [c for c in chosen if c.label == "WEAPON" and c.kind == "lexicon"]
        taken = [c for c in chosen if not (c.label == "WEAPON" and c.kind == "pattern")]
        result = []
        for cand in chosen:
            if cand.label == "WEAPON" and cand.kind == "pattern":
                follower = self.designation_after(doc, cand, named, taken)
                if follower is not None:
                    if follower.kind == "designation":
                        result.append(follower)
                    else:
                        self.check_category(cand, follower)
                    continue
            result.append(cand)
        return result

    def check_category(self, noun: Candidate, named: Candidate) -> None:
        """`porte-hélicoptères Mistral`: a noun of another category group than the lexicon
        name's (the Mistral missile) means another system of that name: the noun's category."""
        noun_cat = noun_category(noun.key)
        name_cat = self.lexicons["WEAPON"].entries[named.key]["category"]
        if self.category_group.get(noun_cat) != self.category_group.get(name_cat):
            named.extra["category"] = noun_cat

    def ambiguous_is_entity(self, doc: Doc, cand: Candidate) -> bool:
        """An ambiguous name counts when the model also saw an entity there, or a cue is near."""
        if not self.model_tokens.isdisjoint(range(cand.start, cand.end)):
            return True
        before = {doc[i].lower_ for i in range(max(0, cand.start - 4), cand.start)}
        if cand.label == "WEAPON":
            if before & self.words["weapon_context_before"]:
                return True
            sent = self.sents.of(cand.start)
            return not self.sents.lemmas(sent).isdisjoint(self.words["military_lemmas"])
        return bool(before & self.words["organisation_context_before"])

    def designation_after(self, doc: Doc, noun: Candidate, named: list[Candidate],
                          taken: list[Candidate]) -> Candidate | None:
        """The weapon designation right after an equipment noun, if there is one.

        Returns the named lexicon candidate that follows (`chars Leopard`), or a new
        `designation` candidate for an unknown one (`drones de type Xyz-3`), else None.
        """
        i = noun.end
        limit = min(len(doc), noun.end + 5)
        while i < limit and self._is_connector(doc[i]):
            i += 1
        if i >= len(doc):
            return None
        for cand in named:
            if cand.start == i:
                return cand
        if any(c.start <= i < c.end for c in taken):
            return None
        if not any(ch.isalpha() for ch in doc[i].text):
            return None  # "drones turcs : 24 Bayraktar TB2": a count, not a name
        end = i
        while end < len(doc) and end - i < 3 and _looks_like_designation(doc[end].text) \
                and not any(c.start <= end < c.end for c in taken):
            end += 1
        if end == i:
            return None
        category = noun_category(noun.key)
        return Candidate("WEAPON", i, end, "rules", "designation", None, {"category": category})

    def _is_connector(self, token) -> bool:
        lower = token.lower_
        if lower in self.words["designation_connectors"]:
            return True
        # lower-case words between the noun and the name: "drones turcs de type Akinci",
        # "frégate multimissions FREMM", "missile intercepteur PAC-3"
        return token.pos_ in ("ADJ", "NOUN") and token.text.islower() and token.is_alpha

    # ------------------------------------------------------------------ model entities

    def add_ner(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """Add the model's cleaned PER/ORG/LOC spans that no rule span overlaps."""
        result = list(chosen)
        taken = {i for c in chosen for i in range(c.start, c.end)}
        for ent in self.model_ents:
            if ent.label_ not in NER_LABELS or taken.issuperset(range(ent.start, ent.end)):
                continue  # (a span within rule spans: whatever its cleaning, it overlaps them)
            span = self.clean_ner_span(doc, ent)
            if span is None:
                continue
            label = ent.label_
            if label != "PER" and self.person_after_title(doc, span[0], span[1]):
                label = "PER"  # "Le ministre philippin de la Défense, Delfin Lorenzana"
            cand = Candidate(label, span[0], span[1], "ner", "ner")
            if not taken.isdisjoint(range(cand.start, cand.end)):
                continue
            if cand.label == "PER" and self.names_a_ship(doc, cand, result):
                continue
            result.append(cand)
            taken.update(range(cand.start, cand.end))
        return result

    def person_after_title(self, doc: Doc, start: int, end: int) -> bool:
        """A two- to four-word capitalised name that no lexicon knows, right after a title
        (`ministre ... de la Défense, X Y`): a person, whatever the model said."""
        span = doc[start:end]
        if not 2 <= len(span) <= 4 or not all(t.text[:1].isupper() for t in span if t.is_alpha):
            return False
        window = {doc[i].lower_ for i in range(max(self.sents.of(start).start, start - 7), start)}
        if window.isdisjoint(self.words["role_heads"]):
            return False
        name = fold(self.text[span.start_char:span.end_char])
        return not any(name in self.names.folded[label] for label in ("LOC", "ORG"))

    def names_a_ship(self, doc: Doc, cand: Candidate, chosen: list[Candidate]) -> bool:
        """A name right after a ship noun or a naval weapon is the ship's (`FREMM Mohammed VI`)."""
        before = [doc[i] for i in range(max(0, cand.start - 4), cand.start)]
        while before and (before[-1].is_punct or before[-1].lower_.startswith(NAMING_PREFIXES)):
            before.pop()  # "la frégate, rebaptisée Tahya Misr"
        if any(t.text in self.words["vessel_nouns"] for t in before[-2:]):
            return True
        return any(c.end == cand.start and c.label == "WEAPON" and (
            (c.kind == "lexicon" and self.lexicons["WEAPON"].entries[c.key]["category"] in ("naval_vessel", "submarine"))
            or (c.kind != "lexicon" and c.extra.get("category") in ("naval_vessel", "submarine"))) for c in chosen)

    def clean_ner_span(self, doc: Doc, ent: Span) -> tuple[int, int] | None:
        """Token offsets of the model span without articles, titles, line breaks; or None."""
        start, end = ent.start, ent.end
        if "\n" in self.text[ent.start_char:chars_through(doc[end - 1])]:
            for i in range(start, end):  # cut at the first line break
                if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
                    end = i + (0 if "\n" in doc[i].text else 1)
                    break
        leading = self.words["words_before_names"]
        while start < end and (doc[start].lower_ in leading or not doc[start].text.strip()
                               or (doc[start].is_punct and doc[start].text != "(")):
            start += 1
        while end > start and (doc[end - 1].is_punct or not doc[end - 1].text.strip()):
            end -= 1
        if start >= end:
            return None
        span = doc[start:end]
        if not any(t.text[:1].isupper() for t in span):
            return None
        if self.text[span.start_char:span.end_char] in self.words["institution_words"]:
            return None
        if self._is_common_noun_phrase(span):
            return None
        return start, end

    @staticmethod
    def _is_common_noun_phrase(span: Span) -> bool:
        """`Coopération israélienne`, `Exclusif`: a capitalised common word, not a name."""
        first = span[0]
        if first.pos_ == "PROPN":
            return False
        rest_lower = all(t.text.islower() or t.is_punct for t in span[1:])
        return rest_lower and first.pos_ in ("NOUN", "ADJ", "VERB", "ADV", "DET", "PRON")

    # ------------------------------------------------------------------ normalisation

    def mentions(self, doc: Doc, chosen: list[Candidate], spans: list[Span], dct: str | None) -> list[dict]:
        """Normalised mention records, in document order (`spans`: those of `chosen`)."""
        records = []
        narrated = None  # the last full date so far: what `le lendemain` counts from
        for cand, span in zip(chosen, spans):
            records.append({
                "label": cand.label,
                "text": self.text[span.start_char:span.end_char],
                "start": span.start_char,
                "end": span.end_char,
                "token_start": cand.start,
                "token_end": cand.end,
                "sentence": self.sents.number(cand.start),
                "source": cand.source,
                "norm": self.normalize(doc, cand, span, dct, narrated),
            })
            if cand.label == "DATE" and FULL_DAY.fullmatch(records[-1]["norm"]["value"] or ""):
                narrated = records[-1]["norm"]["value"]
        self.names.link_persons(records)
        settle_currencies(records)
        return records

    def normalize(self, doc: Doc, cand: Candidate, span: Span, dct: str | None,
                  narrated: str | None = None) -> dict:
        """The `norm` of one mention (SCHEMA.md), by label; a DATE counts anaphoric days
        from `narrated`, the last full date before it, and takes the occurrence the verbs of
        its sentence point at when it gives no year (rules/date_direction.yaml)."""
        if cand.label in ("MONEY", "DATE", "DURATION"):  # read with the words before them
            sent = self.sents.of(span.start)
            text, before = span.text, self.text[sent.start_char:span.start_char]
            if cand.label == "MONEY":
                return normalize_money(text, before)
            if cand.label == "DATE":
                after = self.text[span.end_char:span.end_char + AFTER_REACH]
                if self.doc_words is None:  # (emptied at each doc) the doc's words, read once for all its dates
                    self.doc_words = DocWords(doc)
                prefer = date_direction(sent, span.start, span.end, self.direction_rules, self.doc_words)
                return normalize_date(text, dct, before, prefer=prefer, anchor=narrated, after=after)
            return normalize_duration(text, before)
        if cand.label == "WEAPON":
            return self.weapon_norm(doc, cand, span)
        record = self.lexicons[cand.label].entries.get(cand.key) if cand.kind == "lexicon" else None
        return self.names.normalize(cand.label, span, record, cand.key if cand.kind == "pattern" else None)

    def weapon_norm(self, doc: Doc, cand: Candidate, span: Span) -> dict:
        """name (the type), variant (the sub-designation as written, when a form listed
        under `variants:` matched, else null), category, manufacturer, country."""
        if cand.kind == "lexicon":
            entry = self.lexicons["WEAPON"].entries[cand.key]
            record = {"name": entry["name"], "variant": span.text if entry.get("variant") else None,
                      "category": entry["category"], "manufacturer": entry.get("manufacturer"),
                      "country": entry.get("country")}
            if "category" in cand.extra and cand.extra["category"] != record["category"]:
                record.update(category=cand.extra["category"], manufacturer=None, country=None)
            return record
        if cand.kind == "designation":
            return {"name": span.text, "variant": None, "category": cand.extra["category"],
                    "manufacturer": None, "country": self.names.country_after(doc, cand.end)}
        return {"name": None, "variant": None, "category": noun_category(cand.key), "manufacturer": None,
                "country": self.names.country_after(doc, cand.end)}


def _looks_like_designation(text: str) -> bool:
    """`K2`, `TB2`, `Xyz-3`, `Akinci`: a capitalised or alphanumeric model name."""
    if not text or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.isdigit():
        return len(text) <= 3  # `Leopard 2`, `Type 214`: only after a first word
    return bool(re.fullmatch(r"[A-Z0-9][\w\-/.]*", text)) and text.lower() not in _NOT_DESIGNATIONS


_NOT_DESIGNATIONS = {"le", "la", "les", "et", "au", "aux", "en", "de", "du", "des", "un", "une"}


def settle_currencies(records: list[dict]) -> None:
    """A bare `dinars`, `riyals`, `francs`, `roupies`: the currency of the document's country.

    The currency an earlier amount of the document spelt out (`francs suisses`) wins; else,
    as an ISO 4217 code starts with the issuing country's ISO 3166 alpha-2 code, the
    candidate whose country the document names most; else the normaliser's reading stays.
    """
    countries = Counter(r["norm"].get("country") for r in records
                        if r["label"] in ("LOC", "ORG") and r["norm"].get("country"))
    spelt: list[str] = []
    for record in records:
        if record["label"] != "MONEY":
            continue
        candidates = currency_candidates(record["text"])
        if not candidates:
            if record["norm"].get("currency"):
                spelt.append(record["norm"]["currency"])
            continue
        by_country = [(countries.get(alpha3_of(code[:2]), 0), code) for code in candidates]
        best = max(by_country)
        if earlier := [code for code in spelt if code in candidates]:
            record["norm"]["currency"] = earlier[-1]
        elif best[0] > 0:
            record["norm"]["currency"] = best[1]


@functools.lru_cache(maxsize=512)
def alpha3_of(alpha2: str) -> str | None:
    """ISO 3166 alpha-3 of an alpha-2 code (`DZ` -> `DZA`)."""
    import pycountry
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def unreadable_norm(record: dict) -> str | None:
    """The required norm field a mention's normaliser left empty (see REQUIRED_NORM), if any."""
    field_name = REQUIRED_NORM.get(record["label"])
    return field_name if field_name and record["norm"].get(field_name) is None else None


def run_guarded(doc: Doc, step, what: str, output: str) -> Doc:
    """Run one of our components on a document; if it fails, the document goes on with an
    empty `doc._.<output>` and a warning, so one bad document does not stop a corpus run."""
    try:
        return step(doc)
    except Exception as error:
        add_warning(doc, f"{what} failed ({type(error).__name__}: {error}); no {output} written")
        doc._.set(f"arms_{output}", [])
        return doc


def add_warning(doc: Doc, message: str) -> None:
    """Record a problem met while processing a document (written to documents.jsonl)."""
    source = dict(doc._.arms_source or {})
    source["warnings"] = [*(source.get("warnings") or []), message]
    doc._.arms_source = source


def drop_descriptions_around_names(candidates: list[Candidate]) -> list[Candidate]:
    """A description that contains a name (`état-major général des Forces armées royales
    marocaines`) gives way to the name: SCHEMA.md annotates the name, not the description."""
    names = [c for c in candidates if c.kind == "lexicon" and c.label == "ORG"]
    return [c for c in candidates
            if not (c.kind == "pattern" and c.label == "ORG"
                    and any(c.start <= n.start and n.end <= c.end and n.length < c.length for n in names))]


def is_blocker(cand: Candidate) -> bool:
    """A pattern that only exists to keep a longer phrase from being misread
    (`Mirage 2000`, `2000 soldats`: ids `not_...`); it wins the choice, then is dropped."""
    return cand.kind == "pattern" and (cand.key or "").startswith("not_")


def choose_longest(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then label priority, then position."""
    def rank(c: Candidate) -> tuple:
        label_rank = LABEL_RANK.get(c.label, len(RULE_PRIORITY))
        kind_rank = 0 if c.kind in ("lexicon", "designation") else 1
        return (-c.length, kind_rank, label_rank, c.start, c.key or "")
    chosen: list[Candidate] = []
    taken: set[int] = set()  # token indices already covered
    for cand in sorted(candidates, key=rank):
        tokens = range(cand.start, cand.end)
        if cand.label in ENTITY_LABELS and taken.isdisjoint(tokens):
            chosen.append(cand)
            taken.update(tokens)
    return chosen


def infer_dct(chosen: list[Candidate], spans: list[Span]) -> dict | None:
    """The month of the latest complete calendar date (day, month, year) the text gives.

    News reports date the events they cover; an article that gives a full date for its
    latest event was written in that month or soon after. Without a full date: unknown.
    """
    values = []
    for cand, span in zip(chosen, spans):
        if cand.label == "DATE":
            value = normalize_date(span.text, None, "")["value"]
            if value and FULL_DAY.fullmatch(value):
                values.append(value)
    if not values:
        return None
    return {"value": max(values)[:7], "source": "inferred"}
