"""Relation extraction: arms transfers, agreements, meetings and roles (SCHEMA.md).

Everything the stage looks for is data in rules/relations.yaml (trigger lemmas, sides,
status cues, agreement kinds) and rules/roles.yaml (titles). The method, per sentence:

- arms_transfer: for each WEAPON mention, the trigger is the nearest ancestor in the parse
  whose lemma is a transfer verb or noun, climbing only through nouns, adpositions and
  participial modifiers (so `destiné à contrer ... des hélicoptères` does not make the
  helicopters part of the deal); failing that, the nearest trigger before the weapon with
  no other finite verb in between. The sides come from the trigger's subject (or the
  subject of the verb it complements, or the passive agent) and from the LOC/ORG after
  `à`/`au`/`vers`/`auprès de`; the status from the trigger, its mood and tense, and cues;
  quantity from the numeral before the weapon; the date from the trigger's clause (or,
  for a planned or negotiated deal, from the clause that reports it); the value from the
  sentence or a following sentence about the contract's amount. Restatements are merged.
- agreement: an agreement noun (longest kind) with a signing word or a specific kind; its
  parties are the countries the sentence names (places, organisations, demonyms).
- meeting: a meeting word between persons: the person before it meets each person after it.
- holds_role: the title next to a person's name (function preferred over rank).

Relations are plain dicts with mention indices (`doc._.mentions`) as arguments.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from .lexicons import load_demonyms, load_persons, load_vocab, read_yaml, rules_path
from .normalize.names import fold
from .resolve import SentenceIndex, run_guarded
from .normalize.numbers import parse_number

PARTY_LABELS = ("LOC", "ORG")
ROLE_PREFIXES = {"ancien", "ancienne", "ex", "ex-", "alors", "actuel", "actuelle", "nouveau", "nouvelle",
                 "futur", "future", "désormais", "aujourd'hui", "aussi", "également"}
# A verb with no subject of its own takes the subject of the verb it hangs from by these.
SUBJECT_CLIMB_DEPS = {"xcomp", "conj", "advcl", "acl", "obj", "obl", "obl:arg", "obl:mod", "nmod"}
# Dependencies the climb from a weapon to its trigger may follow (not `punct`, `root`...).
CLIMB_DEPS = {"obj", "nmod", "obl", "obl:arg", "obl:mod", "obl:agent", "appos", "conj", "nsubj:pass",
              "flat:name", "flat:foreign", "compound", "amod", "acl", "acl:relcl", "dep", "fixed", "iobj"}
CONDITIONAL_ENDINGS = ("aient", "ions", "iez", "ais", "ait")
FUTURE_ENDINGS = ("ont", "ons", "ez", "ai", "as", "a")
NOT_PARTY_ORG_TYPES = ("media", "ngo")
MODIFIER_DEPS = ("acl", "acl:relcl", "amod", "appos", "nmod", "conj", "obj", "obl", "obl:arg",
                 "obl:mod", "nsubj:pass", "flat:name", "det", "nummod", "case", "compound", "dep")


@functools.lru_cache(maxsize=4)
def load_relation_rules(rules_dir: Path | None = None) -> dict:
    """rules/relations.yaml and rules/roles.yaml, with the lists as sets."""
    data = read_yaml(rules_path("relations.yaml", rules_dir=rules_dir))
    roles = read_yaml(rules_path("roles.yaml", rules_dir=rules_dir))
    rules = {key: set(value) if isinstance(value, list) else value for key, value in data.items()}
    rules["agreement_kinds"] = sorted(data["agreement_kinds"], key=lambda k: (-len(k), k))
    # (first word, regex) of each kind; one cheap search first finds which first words a
    # sentence holds (most hold none), and only their kinds' regexes run
    rules["agreement_regexes"] = [(agreement_head(k), phrase_regex(k)) for k in rules["agreement_kinds"]]
    heads = sorted({head for head, _ in rules["agreement_regexes"]})
    rules["agreement_prefilter"] = re.compile(r"\b(" + "|".join(phrase_pattern(h) for h in heads) + ")",
                                              re.IGNORECASE)
    rules["functions"] = frozenset(fold(f) for f in roles["functions"])
    rules["ranks"] = frozenset(fold(r) for r in roles["ranks"])
    rules["role_forms"] = {fold(p): p for p in [*roles["functions"], *roles["ranks"]]}
    rules["role_first_words"] = frozenset(p.split(" ")[0] for p in rules["functions"] | rules["ranks"])
    rules["collective_numbers"] = set(load_vocab(rules_dir)["collective_numbers"])
    cues = "|".join(re.escape(cue) for cue in sorted(rules["competitor_cues"], key=len, reverse=True))
    rules["competitor_regex"] = re.compile(rf"(^|\s)({cues})(\s|$)")
    return rules


def agreement_head(kind: str) -> str:
    """The first word of an agreement kind, folded (`Protocole d'accord` -> `protocole`)."""
    return fold(kind).split()[0].split("-")[0]


ACCENT_CLASSES = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}


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


class RelationExtractor:
    """The `arms_relations` component: sets `doc._.relations` (a list of dicts)."""

    def __init__(self, rules_dir: Path | None = None):
        self.rules = load_relation_rules(rules_dir)
        self.demonyms = load_demonyms(rules_dir)
        persons = load_persons(rules_dir)
        self.person_countries = {record["name"]: record.get("country") for record in persons.entries.values()}

    def __call__(self, doc: Doc) -> Doc:
        return run_guarded(doc, self.extract, "relation extraction", "relations")

    def extract(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        ctx = DocContext(doc, mentions, self.rules, self.demonyms, self.person_countries)
        relations = []
        relations += merge_transfers(ctx.transfers())
        relations += ctx.agreements()
        relations += ctx.meetings()
        relations += ctx.roles()
        relations.sort(key=lambda r: (r["evidence"]["start"], r["type"], str(r["args"])))
        doc._.relations = relations
        return doc


@functools.lru_cache(maxsize=65536)
def role_phrase(words: tuple[str, ...]) -> str:
    """Words as a folded title phrase, apostrophes glued: `chef d' état-major` -> `chef d'etat major`."""
    text = fold(" ".join(words).replace(" '", "'").replace("' ", "'"))
    return re.sub(r"\s*([’'])\s*", "'", text)


def governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary above the token in the parse, if any."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def may_start_role(word: str, first_words: frozenset) -> bool:
    """Whether a title phrase can start with this word: its folded first part is the first
    word of a function or rank, or it ends with an apostrophe (glued to the next word), or it
    folds to nothing (a dash: the phrase starts with the next word)."""
    first = role_phrase((word,)).split(" ")[0]
    return not first or first in first_words or first.endswith("'")


class DocContext:
    """One document's mentions indexed by token and sentence, and the extraction rules."""

    def __init__(self, doc: Doc, mentions: list[dict], rules: dict, demonyms: dict[str, str],
                 person_countries: dict[str, str | None]):
        self.doc, self.mentions, self.rules, self.demonyms = doc, mentions, rules, demonyms
        self.person_countries = person_countries
        self.collective = set(rules["collective_numbers"])
        self.last_recipient: int | None = None
        self.sentence_index = SentenceIndex.for_doc(doc)
        self.sents = self.sentence_index.spans
        self.by_token: dict[int, int] = {}
        self.by_sentence: dict[int, list[int]] = {}
        for index, mention in enumerate(mentions):
            self.by_sentence.setdefault(mention["sentence"], []).append(index)
            for i in range(mention["token_start"], mention["token_end"]):
                self.by_token[i] = index

    # ------------------------------------------------------------------ helpers

    def in_sentence(self, s: int, labels: tuple[str, ...]) -> list[int]:
        return [i for i in self.by_sentence.get(s, ()) if self.mentions[i]["label"] in labels]

    def calendar_dates(self, s: int) -> list[int]:
        """The DATE mentions of sentence `s` that name a time (not `récemment`: *_REF)."""
        return [i for i in self.in_sentence(s, ("DATE",))
                if not str((self.mentions[i]["norm"] or {}).get("value", "")).endswith("_REF")]

    def span_of(self, index: int) -> Span:
        return self.doc[self.mentions[index]["token_start"]:self.mentions[index]["token_end"]]

    def mention_at(self, token: Token) -> int | None:
        return self.by_token.get(token.i)

    def country_of(self, index: int | None) -> str | None:
        if index is None:
            return None
        return (self.mentions[index]["norm"] or {}).get("country")

    def is_party(self, index: int) -> bool:
        m = self.mentions[index]
        return m["label"] in PARTY_LABELS and (m["norm"] or {}).get("type") not in NOT_PARTY_ORG_TYPES

    def evidence(self, first: int, last: int | None = None) -> dict:
        last = first if last is None else last
        return {"start": self.sents[first].start_char, "end": self.sents[last].end_char, "sentence": first}

    def demonym_country(self, tokens) -> str | None:
        """The country of the first demonym among the tokens (`américano-norvégiens`: USA)."""
        for token in tokens:
            if token.is_punct and token.text not in "-":
                break
            iso = self.demonyms.get(token.lower_) or self.demonyms.get(token.lower_.split("-")[0])
            if iso:
                return iso
        return None

    # ------------------------------------------------------------------ arms transfers

    def transfers(self) -> list[dict]:
        out = []
        for s, sent in enumerate(self.sents):
            weapons = self.in_sentence(s, ("WEAPON",))
            found = [r for r in (self.transfer_for(s, sent, w) for w in weapons) if r]
            found = self.name_generic_transfers(found, weapons)
            if not weapons:
                found = [r for r in (self.transfer_for(s, sent, w, span) for w, span in self.anaphors(s, sent)) if r]
            out += drop_generic_restatements(found, self.mentions)
        return out

    def name_generic_transfers(self, found: list[dict], weapons: list[int]) -> list[dict]:
        """`acheter des drones turcs : 24 Bayraktar TB2`: a transfer of a generic noun takes
        the named system of the same category that follows it in the sentence and has no
        transfer of its own."""
        with_transfer = {r["args"]["weapon"] for r in found}
        for rel in found:
            generic = self.mentions[rel["args"]["weapon"]]
            if (generic["norm"] or {}).get("name"):
                continue
            named = next((w for w in weapons if w not in with_transfer
                          and self.mentions[w]["token_start"] > generic["token_end"]
                          and (self.mentions[w]["norm"] or {}).get("name")
                          and self.mentions[w]["norm"].get("category") == generic["norm"].get("category")), None)
            if named is not None:
                wspan = self.span_of(named)
                rel["args"]["weapon"] = named
                rel["weapon_key"] = self.mentions[named]["norm"]["name"]
                rel["attrs"]["quantity"] = rel["attrs"]["quantity"] or self.quantity(wspan)
                with_transfer.add(named)
        return found

    def anaphors(self, s: int, sent: Span) -> list[tuple[int, Span]]:
        """`Rabat a commandé 24 appareils à Boeing`: a counted generic noun in a sentence that
        names no weapon stands for the last system named in the two sentences before."""
        antecedent = next((i for k in (s - 1, s - 2) if k >= 0
                           for i in reversed(self.in_sentence(k, ("WEAPON",)))
                           if (self.mentions[i]["norm"] or {}).get("name")), None)
        if antecedent is None:
            return []
        return [(antecedent, self.doc[t.i:t.i + 1]) for t in sent
                if t.lower_ in self.rules["anaphoric_nouns"]
                and any(c.dep_ == "nummod" or c.like_num for c in t.children)]

    def is_competitor(self, weapon: Span) -> bool:
        """`devant le Rafale`, `face au F/A-18`: a system compared with, not bought; and one
        coordinated with it (`devant le Rafale de Dassault et l'Eurofighter d'Airbus`)."""
        before = " ".join(t.lower_ for t in self.doc[max(0, weapon.start - 4):weapon.start])
        if self.rules["competitor_regex"].search(before) is not None:
            return True
        root = weapon.root
        first = self.mention_at(root.head) if root.dep_ == "conj" else None
        if first is None or self.mentions[first]["label"] != "WEAPON":
            return False
        first_span = self.span_of(first)
        return first_span.start < weapon.start and self.is_competitor(first_span)

    def trigger_rule(self, token: Token) -> dict | None:
        """The rule of a transfer trigger (verb or noun lemma, or an `équipé de` participle)."""
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" and lemma in self.rules["transfer_verbs"]:
            return {**self.rules["transfer_verbs"][lemma], "kind": "verb"}
        if token.pos_ in ("NOUN", "PROPN") and lemma in self.rules["transfer_nouns"]:
            return {**self.rules["transfer_nouns"][lemma], "kind": "noun"}
        if token.lower_ in self.rules["equipped_participles"]:
            return {"subject": None, "status": "delivered", "kind": "equipped"}
        return None

    def trigger_for(self, sent: Span, weapon: Span) -> Token | None:
        """The transfer verb or noun that governs the weapon, if any.

        Climbs the parse from the weapon through nouns, adpositions and participial
        modifiers; failing that, takes the nearest trigger before the weapon. Either way no
        other clause (an infinitive or finite verb off the path) may stand between them:
        `fourniraient un système destiné à contrer des hélicoptères` is no helicopter sale.
        """
        path = [weapon.root]
        token = weapon.root
        trigger = None
        while token.head.i != token.i and token.dep_ in CLIMB_DEPS:
            head = token.head
            if self.trigger_rule(head):
                trigger = head
                break
            if head.pos_ in ("VERB", "AUX") and not self.is_participle_modifier(head):
                trigger = self.deal_subject(head)  # "le contrat porte sur 180 K2"
                if trigger is not None:
                    path.append(head)
                break
            path.append(head)
            token = head
        if trigger is None:  # "trois batteries de missiles BrahMos destinées aux Philippines"
            trigger = next((child for noun in path for child in noun.children
                            if child.dep_.startswith("acl") and child.i > weapon.start
                            and self.trigger_rule(child)), None)
        if trigger is None:
            for token in reversed(list(self.doc[sent.start:weapon.start])):
                if self.trigger_rule(token):
                    trigger = token
                    break
        if trigger is None or trigger.i > weapon.start:
            return trigger
        on_path = {t.i for t in path}
        for token in self.doc[trigger.i + 1:weapon.start]:
            if token.i in on_path:
                continue
            forms = token.morph.get("VerbForm")
            if (token.pos_ == "VERB" and ("Inf" in forms or "Fin" in forms)) or \
                    (token.pos_ == "AUX" and "Fin" in forms) or token.text in (";", ":"):
                return None
        return trigger

    def deal_subject(self, verb: Token) -> Token | None:
        """The transfer noun subject of a verb that says what a deal covers, if any."""
        if verb.lemma_.lower() not in self.rules["content_verbs"]:
            return None
        return next((child for child in verb.children if child.dep_ == "nsubj"
                     and (rule := self.trigger_rule(child)) is not None and rule["kind"] == "noun"), None)

    def transfer_for(self, s: int, sent: Span, w: int, wspan: Span | None = None) -> dict | None:
        """The transfer of weapon mention `w` (stated at `wspan`, by default the mention itself)."""
        weapon = self.mentions[w]
        wspan = wspan if wspan is not None else self.span_of(w)
        trigger = self.trigger_for(sent, wspan)
        if trigger is None or self.is_competitor(wspan):
            return None
        rule = self.trigger_rule(trigger)
        supplier, recipient = self.sides(sent, trigger, wspan, rule)
        if supplier is not None and supplier == recipient:
            return None
        wnorm = weapon["norm"] or {}
        subject_country = None  # a subject named by a demonym: "l'entreprise turque a offert"
        if rule["kind"] == "verb" and rule["subject"] == "supplier" \
                and (subject_np := self.nominal_subject(trigger)) is not None:
            subject_country = self.demonym_country(subject_np.subtree)
        supplier_country = self.country_of(supplier) or subject_country \
            or self.demonym_country(self.doc[wspan.end:min(wspan.end + 3, sent.end)]) \
            or self.demonym_country(self.doc[min(trigger.i + 1, wspan.start):wspan.start]) \
            or wnorm.get("country")
        if recipient is None and rule["subject"] == "recipient" and self.pronoun_subject(trigger):
            recipient = self.previous_subject(s)  # "Elle a aussi commandé 250 chars Abrams"
        if recipient is not None and self.mentions[recipient]["label"] == "ORG" \
                and (self.mentions[recipient]["norm"] or {}).get("type") == "company":
            recipient = None  # "devant le Rafale de Dassault Aviation": a maker, not a buyer
        if recipient is None and self.last_recipient is not None \
                and self.country_of(self.last_recipient) != self.country_of(supplier):
            # "Elle a aussi commandé 250 chars Abrams", "le Danemark céderait 19 F-16": the
            # recipient is the one of the document's previous transfer
            recipient = self.last_recipient
        recipient_country = self.country_of(recipient)
        if recipient_country is None:
            return None
        if supplier_country == recipient_country:
            return None
        status = self.status(sent, trigger, rule)
        args = {"weapon": w}
        if supplier is not None:
            args["supplier"] = supplier
        args["recipient"] = recipient
        value, value_sentence = self.value_for(s, wspan, trigger)
        if value is not None:
            args["value"] = value
        date = self.date_for(s, trigger, status)
        if date is not None:
            args["date"] = date
        last = value_sentence if value_sentence is not None else s
        self.last_recipient = recipient
        return {"type": "arms_transfer", "args": args,
                "_dates": {self.mentions[date]["norm"]["value"]} if date is not None else set(),
                "weapon_key": wnorm.get("name") or wnorm.get("category"), "trigger": trigger.i,
                "attrs": {"supplier_country": supplier_country, "recipient_country": recipient_country,
                          "quantity": self.quantity(wspan), "status": status},
                "evidence": self.evidence(s, last)}

    def sides(self, sent: Span, trigger: Token, weapon: Span, rule: dict):
        """(supplier, recipient) mention indices for a trigger."""
        supplier = recipient = None
        subject_side = rule["subject"]
        if rule["kind"] == "verb":
            subject = self.agent_of(trigger)
            if subject is None:
                subject = self.subject_of(trigger)
            if subject is None and self.nominal_subject(trigger) is None:
                subject = self.party_before(sent, trigger)
        elif rule["kind"] == "noun" and not trigger.dep_.startswith("nsubj"):
            # the subject of the verb the noun is the object of ("l'Inde a signé la commande")
            verb = governing_verb(trigger)
            subject = self.subject_of(verb) if verb is not None else None
            if subject is not None and self.mentions[subject]["token_start"] in {t.i for t in trigger.subtree}:
                subject = None
        else:
            subject = None
        after = self.party_after_preposition(sent, trigger, self.rules["recipient_prepositions"])
        if subject_side == "supplier":
            supplier = subject
            recipient = after if after is not None else (
                self.first_party_after(sent, trigger, weapon) if rule["kind"] == "verb" else None)
        elif subject_side == "recipient":
            recipient = subject
            preps = self.rules["supplier_prepositions"] | (
                self.rules["origin_prepositions"] if rule["kind"] == "verb" else set())
            supplier = self.party_after_preposition(sent, trigger, preps)
            if recipient is None and rule["kind"] == "noun":
                recipient, supplier = after, None
        if recipient is None and (rule["kind"] == "equipped" or self.is_participle_modifier(trigger)):
            recipient = self.party_before(sent, trigger)  # "des policiers équipés de ..."
        return supplier, recipient

    @staticmethod
    def is_participle_modifier(token: Token) -> bool:
        return token.dep_.startswith("acl") and "Part" in token.morph.get("VerbForm")

    def subject_of(self, trigger: Token) -> int | None:
        """The party that is the subject of the trigger's clause, climbing through the verbs
        it complements (`envisagent de commander`, `après avoir réceptionné`, `prévoyant`)."""
        own = {t.i for t in trigger.subtree}
        verb = trigger
        for _ in range(4):
            for child in verb.children:
                if child.dep_ == "nsubj":
                    found = self.party_in_subtree(child)
                    if found is not None and (verb.i == trigger.i or self.mentions[found]["token_start"] not in own):
                        return found
            if verb.head.i == verb.i or verb.dep_ not in SUBJECT_CLIMB_DEPS:
                break
            verb = verb.head
        return None

    @staticmethod
    def clause_subject(trigger: Token) -> Token | None:
        """The subject token of the trigger's clause, climbing as `subject_of` does."""
        verb = trigger
        for _ in range(4):
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if subject is not None:
                return subject
            if verb.head.i == verb.i or verb.dep_ not in SUBJECT_CLIMB_DEPS:
                return None
            verb = verb.head
        return None

    def nominal_subject(self, trigger: Token) -> Token | None:
        """The clause's subject when it is a noun phrase, not a pronoun: `l'entreprise turque`."""
        subject = self.clause_subject(trigger)
        return subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") else None

    def pronoun_subject(self, trigger: Token) -> bool:
        """The clause has a personal pronoun for subject (`il`, `elle`, `ils`)."""
        subject = self.clause_subject(trigger)
        return subject is not None and subject.lower_ in ("il", "elle", "ils", "elles")

    def previous_subject(self, s: int) -> int | None:
        """The party that is the subject of the nearest earlier sentence that has one."""
        for k in range(s - 1, max(-1, s - 4), -1):
            for token in self.sents[k]:
                if token.dep_ == "nsubj" and token.head.dep_ == "ROOT":
                    found = self.party_in_subtree(token)
                    if found is not None:
                        return found
        return None

    def agent_of(self, trigger: Token) -> int | None:
        for child in trigger.children:
            if child.dep_ in ("obl:agent",):
                return self.party_in_subtree(child)
        return None

    def party_in_subtree(self, token: Token) -> int | None:
        for t in [token, *token.subtree]:
            index = self.mention_at(t)
            if index is not None and self.is_party(index):
                return index
        return None

    def party_before(self, sent: Span, trigger: Token) -> int | None:
        """The last party mention before the trigger in its sentence."""
        for t in reversed(list(self.doc[sent.start:trigger.i])):
            index = self.mention_at(t)
            if index is not None and self.is_party(index):
                return index
        return None

    def party_after_preposition(self, sent: Span, trigger: Token, preps: set[str]) -> int | None:
        """The first party after one of `preps` (`à`, `au`, `vers`, `auprès de`...) following
        the trigger, determiners skipped (`à la Corée du Sud`, `auprès de la Russie`)."""
        for t in self.doc[trigger.i + 1:sent.end]:
            index = self.mention_at(t)
            if index is None or not self.is_party(index) or t.i != self.mentions[index]["token_start"]:
                continue
            k = t.i - 1
            while k > trigger.i and self.doc[k].pos_ == "DET" and self.doc[k].lower_ not in preps:
                k -= 1
            one = self.doc[k].lower_
            two = f"{self.doc[k - 1].lower_} {one}" if k - 1 > trigger.i else ""
            if one in preps or two in preps:
                return index
        return None

    def first_party_after(self, sent: Span, trigger: Token, weapon: Span) -> int | None:
        """A direct-object party (`fournir le Maroc en armes`) before the weapon."""
        for t in self.doc[trigger.i + 1:weapon.start]:
            index = self.mention_at(t)
            if index is not None and self.is_party(index):
                return index
        return None

    def status(self, sent: Span, trigger: Token, rule: dict) -> str:
        """The stage of the deal: the trigger's own, changed by mood, tense and cues."""
        lemmas = self.sentence_index.lemmas_and_forms(sent)
        if lemmas & self.rules["alleged_cues"] or "selon laquelle" in self.sentence_index.text_of(sent).lower():
            return "alleged"
        if lemmas & self.rules["negotiating_cues"] and rule["status"] != "delivered" \
                or self.governed_by(trigger, self.rules["negotiating_cues"]):
            return "negotiating"
        if rule["status"] == "negotiating":
            return "negotiating"
        # a noun takes its verb's mood and tense: "une commande ... aurait été signée"
        verb = governing_verb(trigger) if rule["kind"] == "noun" else trigger
        mood, tense = self.mood_tense(verb) if verb is not None else (None, None)
        if mood == "Cnd":
            return "alleged" if tense == "Past" else "planned"
        if tense == "Fut" or self.governed_by(trigger, self.rules["planned_cues"]):
            return "planned"
        if rule["status"] == "delivered" and self.governed_by(trigger, self.rules["ordered_cues"]) \
                and not lemmas & self.rules["arrival_lemmas"]:
            return "ordered"  # "un contrat pour l'achat de 36 Rafale"
        return rule["status"]

    @staticmethod
    def governed_by(token: Token, lemmas: set[str]) -> bool:
        head = token
        for _ in range(3):
            if head.head.i == head.i:
                return False
            head = head.head
            if head.lemma_.lower() in lemmas:
                return True
        return False

    def mood_tense(self, trigger: Token) -> tuple[str | None, str | None]:
        """Mood and tense of the verb group (`aurait acheté`: Cnd, Past; `vendrait`: Cnd, Pres)."""
        auxes = [c for c in trigger.children if c.dep_ in ("aux", "aux:tense", "aux:pass")]
        for aux in auxes:
            mood, tense = self.finite_form(aux)
            if mood == "Cnd":
                return "Cnd", "Past"
            if tense == "Fut":
                return None, "Fut"
        if auxes:
            return None, "Past"
        return self.finite_form(trigger)

    def finite_form(self, verb: Token) -> tuple[str | None, str | None]:
        """(mood, tense) of one verb form, from its endings on the future stem, else the model."""
        text, lemma = fold(verb.text), fold(verb.lemma_)
        stems = self.rules["irregular_future_stems"]
        for endings, result in (CONDITIONAL_ENDINGS, ("Cnd", "Pres")), (FUTURE_ENDINGS, (None, "Fut")):
            for ending in endings:
                stem = text[:-len(ending)]
                if text.endswith(ending) and stem.endswith("r") and (
                        stem in (lemma, lemma[:-1]) or stem in stems):
                    return result
        mood, tense = verb.morph.get("Mood"), verb.morph.get("Tense")
        return (mood[0] if mood else None), (tense[0] if tense else None)

    def quantity(self, weapon: Span) -> int | None:
        """The numeral before the weapon or its equipment noun (`3 drones Bayraktar TB2`,
        `218 lance-roquettes multiples K239`, `une vingtaine de Su-35`)."""
        tokens = list(self.doc[max(self.sentence_index.of(weapon.start).start, weapon.start - 7):weapon.start])
        for k in range(len(tokens) - 1, -1, -1):
            t = tokens[k]
            at = self.mention_at(t)
            if at is not None and self.mentions[at]["label"] in ("DATE", "MONEY", "DURATION"):
                break  # "a reçu en 2014 la frégate": a year, not a count
            if t.is_punct and t.text != "-" or t.pos_ in ("VERB", "AUX") or \
                    (t.pos_ == "ADP" and t.lower_ not in ("de", "d'", "d’")):
                break
            if t.lower_ in self.collective:
                phrase = " ".join(x.text for x in tokens[max(0, k - 1):k + 1])
            elif t.like_num or t.pos_ == "NUM":
                phrase = t.text
            else:
                continue
            if t.lower_ in ("un", "une"):
                return None  # an article, not a count
            value = parse_number(phrase)
            if value is not None and float(value).is_integer() and 0 < value < 100000:
                return int(value)
            return None
        return None

    def value_for(self, s: int, weapon: Span, trigger: Token | None = None) -> tuple[int | None, int | None]:
        """The MONEY of the deal: the first amount after the weapon in its sentence (before
        the next weapon), else one in the trigger's own clause; if the sentence has none, an
        amount in one of the next two sentences when it speaks of the deal's amount
        (`Le montant du contrat...`) and names no weapon or date of its own."""
        money = self.in_sentence(s, ("MONEY",))
        if money:
            weapons = [self.mentions[i]["token_start"] for i in self.in_sentence(s, ("WEAPON",))
                       if self.mentions[i]["token_start"] > weapon.start]
            limit = min(weapons) if weapons else len(self.doc)
            after = [i for i in money if weapon.end <= self.mentions[i]["token_start"] < limit]
            if after:
                return after[0], None
            own = [i for i in money if trigger is not None
                   and self.clause_head(self.span_of(i).root).i == trigger.i]
            return (own[-1] if own else None), None
        for nxt in range(s + 1, min(s + 3, len(self.sents))):
            if self.in_sentence(nxt, ("WEAPON", "DATE")):
                break
            money = self.in_sentence(nxt, ("MONEY",))
            if money and self.sentence_index.lemmas(self.sents[nxt]) & self.rules["value_nouns"]:
                return money[0], nxt
        return None, None

    def date_for(self, s: int, trigger: Token, status: str) -> int | None:
        """A DATE in the trigger's clause, else (planned/negotiating) in the reporting clause."""
        heads = [trigger]
        if trigger.dep_ in ("conj", "xcomp") or trigger.pos_ == "NOUN":
            verb = governing_verb(trigger)
            heads.append(verb if verb is not None else trigger.head)
        if status in ("planned", "negotiating", "alleged"):
            heads += list(trigger.ancestors)
        clause_of = {i: self.clause_head(self.span_of(i).root).i for i in self.calendar_dates(s)}
        for head in heads:
            for i, clause in clause_of.items():
                if clause == head.i:
                    return i
        return None

    @staticmethod
    def clause_head(token: Token) -> Token:
        """The verb (or sentence root) whose clause the token belongs to."""
        while token.head.i != token.i and token.pos_ not in ("VERB",):
            token = token.head
        return token

    # ------------------------------------------------------------------ agreements

    def agreements(self) -> list[dict]:
        """One agreement per agreement noun; its parties are the countries named in its
        stretch of the sentence (up to the neighbouring agreement nouns)."""
        out, seen = [], set()
        for s, sent in enumerate(self.sents):
            matches = self.agreement_matches(sent)
            lemmas = self.sentence_index.lemmas(sent) if matches else frozenset()
            for k, (kind, start, end) in enumerate(matches):
                lo = matches[k - 1][2] if k else sent.start_char
                hi = matches[k + 1][1] if k + 1 < len(matches) else sent.end_char
                stretch = {t.lemma_.lower() for t in sent if lo <= t.idx < hi}
                bare = kind in self.rules["bare_agreement_kinds"] or kind[:-1] in self.rules["bare_agreement_kinds"]
                if bare and not stretch & self.rules["signing_lemmas"]:
                    continue
                relation = self.agreement_in(s, sent, kind, lo, hi, lemmas)
                if relation is None:
                    continue
                key = (tuple(relation["attrs"]["parties"]), kind)
                if key not in seen:
                    seen.add(key)
                    out.append(relation)
        return out

    def agreement_matches(self, sent: Span) -> list[tuple[str, int, int]]:
        """(kind as written, start, end) of the agreement nouns, longest first, no overlap."""
        found: list[tuple[str, int, int]] = []
        text = self.sentence_index.text_of(sent)
        heads = {agreement_head(match.group(0)) for match in self.rules["agreement_prefilter"].finditer(text)}
        for head, pattern in self.rules["agreement_regexes"]:
            if head not in heads:
                continue
            for match in pattern.finditer(text):
                start, end = sent.start_char + match.start(), sent.start_char + match.end()
                if not any(start < e and s < end for _, s, e in found):
                    kind = re.sub(r"\s+", " ", match.group(0).lower().replace("’", "'"))
                    found.append((kind, start, end))
        return sorted(found, key=lambda item: item[1])

    def agreement_in(self, s: int, sent: Span, kind: str, lo: int, hi: int, lemmas: set) -> dict | None:
        def inside(i: int) -> bool:
            return lo <= self.mentions[i]["start"] and self.mentions[i]["end"] <= hi
        place = self.place_in(sent)
        place = place if place is not None and inside(place) else None
        members = [i for i in self.in_sentence(s, PARTY_LABELS) if inside(i) and self.is_party(i)]
        parties = {self.country_of(i) for i in members
                   if self.country_of(i) and not (i == place and self.mentions[i]["norm"].get("type") == "city")}
        parties |= {iso for t in sent if lo <= t.idx < hi and (iso := self.demonyms.get(t.lower_))
                    and not t.lower_.endswith("o")}
        signing = bool(lemmas & self.rules["signing_lemmas"])
        signers = [i for i in self.in_sentence(s, ("PER",)) if inside(i)] if signing else []
        parties |= {c for i in signers if (c := self.person_countries.get(self.mentions[i]["norm"]["name"]))}
        if not parties and re.search(r"\b(les|ces) deux pays\b", self.sentence_index.text[lo:hi], re.IGNORECASE):
            parties = self.recent_countries(s, 2)  # "les deux pays ont conclu un accord"
        if len(parties) == 1 and place is not None and self.country_of(place):
            parties.add(self.country_of(place))  # "signé à Rabat par le ministre israélien"
        if not 2 <= len(parties) <= self.rules["max_agreement_parties"]:
            return None
        args: dict = {"parties": members}
        if signers:
            args["signatory"] = signers[0]
        date = next((i for i in self.calendar_dates(s) if inside(i)), None)
        if date is not None:
            args["date"] = date
        if place is not None:
            args["place"] = place
        return {"type": "agreement", "args": args, "attrs": {"parties": sorted(parties), "kind": kind},
                "evidence": self.evidence(s)}

    def recent_countries(self, s: int, count: int) -> set[str]:
        """The last `count` distinct countries named (as places) in the sentences before `s`."""
        found: list[str] = []
        for i in reversed([i for k in range(max(0, s - 3), s) for i in self.in_sentence(k, ("LOC",))]):
            country = self.country_of(i)
            if country and country not in found:
                found.append(country)
            if len(found) == count:
                return set(found)
        return set()

    def place_in(self, sent: Span) -> int | None:
        """The first place introduced by `à`, `au`, `en` or `dans` in the sentence."""
        for t in sent:
            index = self.mention_at(t)
            if index is None or self.mentions[index]["label"] != "LOC" or t.i != self.mentions[index]["token_start"]:
                continue
            prev = [x.lower_ for x in self.doc[max(sent.start, t.i - 2):t.i]]
            if prev and (prev[-1] in ("à", "au", "en", "dans") or (len(prev) == 2 and prev[0] in ("à", "dans"))):
                return index
        return None

    # ------------------------------------------------------------------ meetings

    def meetings(self) -> list[dict]:
        out, seen = [], set()
        for s, sent in enumerate(self.sents):
            persons = self.in_sentence(s, ("PER",))
            if len(persons) < 2 or self.sentence_index.lemmas(sent).isdisjoint(self.rules["meeting_lemmas"]):
                continue
            triggers = [t for t in sent if t.lemma_.lower() in self.rules["meeting_lemmas"]]
            trigger = triggers[0]
            before = [i for i in persons if self.mentions[i]["token_end"] <= trigger.i]
            after = [i for i in persons if self.mentions[i]["token_start"] > trigger.i]
            if not before or not after:
                continue
            host = before[-1]
            place = self.place_in(sent)
            date = next(iter(self.calendar_dates(s)), None)
            for guest in after:
                names = sorted({self.mentions[host]["norm"]["name"], self.mentions[guest]["norm"]["name"]})
                if len(names) < 2 or tuple(names) in seen or self.reported_by(sent, guest):
                    continue
                seen.add(tuple(names))
                args = {"participants": [host, guest]}
                if date is not None:
                    args["date"] = date
                if place is not None:
                    args["place"] = place
                out.append({"type": "meeting", "args": args, "attrs": {"participants": names},
                            "evidence": self.evidence(s)})
        return out

    def reported_by(self, sent: Span, index: int) -> bool:
        """A person introduced by `selon` (the source, not a participant)."""
        start = self.mentions[index]["token_start"]
        return any(t.lower_ in ("selon", "d'après", "d’après") for t in self.doc[max(sent.start, start - 4):start])

    # ------------------------------------------------------------------ roles

    def roles(self) -> list[dict]:
        found: dict[str, dict] = {}
        consumed: set[int] = set()
        for index, m in enumerate(self.mentions):
            if m["label"] != "PER":
                continue
            name = m["norm"]["name"]
            role = self.role_after(index, consumed) or self.role_before(index, consumed) \
                or self.role_of_coordinated(index, found)
            if role is None:
                continue
            phrase, start, end, former = role
            current = found.get(name)
            if current and not (current["former"] and not former):
                continue
            country = self.role_country(start, end, index)
            found[name] = {"type": "holds_role", "args": {"person": index}, "former": former,
                           "attrs": {"role": phrase, "country": country},
                           "evidence": self.evidence(m["sentence"])}
        out = []
        for relation in found.values():
            relation.pop("former")
            out.append(relation)
        return out

    def role_of_coordinated(self, index: int, found: dict):
        """`les ministres de la Défense Manohar Parrikar et Jean-Yves Le Drian`: the second
        name shares the title of the first."""
        m = self.mentions[index]
        if index == 0 or m["token_start"] < 1 or self.doc[m["token_start"] - 1].lower_ != "et":
            return None
        prev = self.mentions[index - 1]
        relation = found.get(prev["norm"]["name"]) if prev["label"] == "PER" else None
        if relation is None or prev["token_end"] != m["token_start"] - 1:
            return None
        return relation["attrs"]["role"], m["token_start"], m["token_start"], False

    def match_role(self, tokens: list[Token]) -> tuple[str, int, int] | None:
        """The longest function (else rank) spelled by the tokens, ignoring demonyms."""
        kept = [t for t in tokens if t.lower_ not in self.demonyms]
        words = [self.singular(t) for t in kept]
        phrases_at = [(i, j, role_phrase(tuple(words[i:j])))
                      for i in range(len(kept)) if may_start_role(words[i], self.rules["role_first_words"])
                      for j in range(len(kept), i, -1)]
        for phrases in (self.rules["functions"], self.rules["ranks"]):
            best = None
            for i, j, text in phrases_at:
                if text in phrases and (best is None or (j - i, j) > (best[2] - best[1], best[2])):
                    best = (text, i, j)  # the longest, then the nearest to the name
            if best:
                text, i, j = best
                return self.rules["role_forms"].get(text, text).lower(), kept[i].i, kept[j - 1].i + 1
        return None

    def singular(self, token: Token) -> str:
        """`ministres` -> `ministre`, `généraux` -> `général`: titles of several persons."""
        text = token.text
        if "Plur" in token.morph.get("Number") and text.islower() and token.pos_ in ("NOUN", "ADJ"):
            if text.endswith("aux"):
                return text[:-3] + "al"
            if text.endswith(("s", "x")):
                return text[:-1]
        return text

    def role_after(self, index: int, consumed: set[int]):
        """`Rajnath Singh, ministre de la Défense,`."""
        m = self.mentions[index]
        end = m["token_end"]
        if end >= len(self.doc) or self.doc[end].text != ",":
            return None
        tokens = []
        for t in self.doc[end + 1:min(len(self.doc), end + 12)]:
            if t.text in (",", ";", "(", ")", ".") or self.mention_at(t) is not None and \
                    self.mentions[self.mention_at(t)]["label"] == "PER":
                break
            tokens.append(t)
        if not tokens or tokens[0].lower_ in ("et", "ou", "ni", "mais"):
            return None  # "Mark Esper, et le ministre délégué ...": the next person's title
        former = tokens[0].lower_ in ("ancien", "ancienne", "ex")
        while tokens and tokens[0].lower_ in ROLE_PREFIXES:
            tokens = tokens[1:]  # "alors ministre des Armées", "ancien chef du renseignement"
        found = self.match_role(tokens)
        if found is None or (found[1] != tokens[0].i and self.doc[found[1] - 1].pos_ != "DET"):
            return None
        consumed.update(range(found[1], found[2]))
        return found[0], found[1], found[2], former

    def role_before(self, index: int, consumed: set[int]):
        """`le chef d'état-major indien Anil Chauhan`, `le général de brigade X Y`."""
        m = self.mentions[index]
        start = m["token_start"]
        if start and self.doc[start - 1].lower_ in ("de", "du", "d'", "d’", "des"):
            return None  # "les ministres du gouvernement de Macron": a complement, not a title
        sent_start = self.sentence_index.of(start).start
        tokens = []
        for t in reversed(list(self.doc[max(sent_start, start - 20):start])):
            if t.i in consumed or t.text in (";", "(", ")", "«", "»", ":") or t.pos_ in ("VERB", "AUX"):
                break
            at = self.mention_at(t)
            if at is not None and self.mentions[at]["label"] in ("PER",):
                break
            tokens.insert(0, t)
        # candidate windows: the words just before the name, then each clause before a comma;
        # the nearest function wins, else the nearest rank
        groups: list[list[Token]] = [[]]
        for t in tokens:
            if t.text == ",":
                groups.append([])
            else:
                groups[-1].append(t)
        candidates = [c for c in (self.match_role(g) for g in reversed(groups)) if c]
        found = next((c for c in candidates if self._is_function(c[0])), candidates[0] if candidates else None)
        if found is None:
            return None
        former = any(t.lower_ in ("ancien", "ancienne") for t in self.doc[max(0, found[1] - 2):found[1]])
        return found[0], found[1], found[2], former

    def _is_function(self, phrase: str) -> bool:
        return fold(phrase) in self.rules["functions"]

    def role_country(self, start: int, end: int, person: int) -> str | None:
        """The country of a role: a demonym or party in its words, else the person's lexicon country."""
        tokens = self.doc[start:min(len(self.doc), end + 6)]
        iso = self.demonym_country(self.doc[max(0, start - 1):min(len(self.doc), end + 6)])
        if iso:
            return iso
        for t in tokens:
            index = self.mention_at(t)
            if index is not None and index != person and self.is_party(index) and self.country_of(index):
                return self.country_of(index)
        return self.person_countries.get(self.mentions[person]["norm"]["name"])


def drop_generic_restatements(relations: list[dict], mentions: list[dict]) -> list[dict]:
    """`un logiciel espion vendu par la société, Predator`: the generic noun and the name under
    one trigger are one transfer; the named one stays."""
    def norm(rel: dict) -> dict:
        return mentions[rel["args"]["weapon"]]["norm"] or {}
    named = {(r["trigger"], norm(r).get("category")) for r in relations if norm(r).get("name")}
    return [r for r in relations if norm(r).get("name") or (r["trigger"], norm(r).get("category")) not in named]


def merge_transfers(relations: list[dict]) -> list[dict]:
    """One relation per transfer: a restatement (same recipient country and weapon, and no
    conflicting supplier country, quantity or date) is merged into the first statement,
    which keeps the most complete attributes. Different deals for the same weapon stay apart."""
    merged: list[dict] = []
    for rel in relations:
        rel.pop("trigger")
        key = (rel["attrs"]["recipient_country"], rel.pop("weapon_key"))
        rel["_key"] = key
        kept = next((m for m in merged if m["_key"] == key and compatible(m, rel)), None)
        if kept is None:
            merged.append(rel)
            continue
        for role, value in rel["args"].items():
            kept["args"].setdefault(role, value)
        for attr, value in rel["attrs"].items():
            if kept["attrs"].get(attr) is None and value is not None:
                kept["attrs"][attr] = value
        kept.setdefault("_dates", set()).update(rel.get("_dates", set()))
    for rel in merged:
        rel.pop("_key")
        rel.pop("_dates", None)
    return merged


def compatible(a: dict, b: dict) -> bool:
    """Two statements of one transfer: no attribute or date they both give differs."""
    for attr in ("supplier_country", "quantity"):
        if a["attrs"].get(attr) is not None and b["attrs"].get(attr) is not None \
                and a["attrs"][attr] != b["attrs"][attr]:
            return False
    return not (a.get("_dates") and b.get("_dates") and not a["_dates"] & b["_dates"])
