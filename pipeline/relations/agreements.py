"""Agreements: an agreement between parties, stated as concluded (SCHEMA.md `agreement`).

An agreement noun (rules/relations.yaml `agreement_kinds`, the longest kind as written) is one
when it is signed, concluded, ratified (`signing_lemmas`: `a signé un accord`, `un accord
signé en 2008`, `la signature d'un accord`), or, for a specific kind (`protocole d'accord`,
`accord de coopération`), whenever it is named. It is not one when it is:

- consent (`se mettre d'accord`, `être d'accord`, `d'un commun accord`, `en accord avec`);
- a restatement (`cet accord`, stated before);
- to come or refused (`pourrait signer un accord`, `un éventuel accord`, `devrait conclure`,
  `refuse de signer l'accord`, `en vue de la signature d'un accord`);
- a bare `accord` for a purchase (`un accord avec Saab pour l'achat de 16 Gripen`,
  `l'accord relatif à l'achat de frégates`, `un accord qui porte sur la fourniture de
  batteries IRIS-T`): that deal is an arms transfer.

Its parties are the parties of the agreement, read from its clause: the subject of the signing
verb (`Le Maroc et Israël signent`, `la Grèce et Chypre, au terme de ..., ont signé`), the
agent (`signé par l'Italie et le Qatar`), `avec X` and `entre X et Y`, a demonym of the noun
(`accord israélo-marocain`), the signatories' countries (`signé par le ministre israélien de la
Défense`), `les deux pays` (the two countries just named); with one party and a venue abroad,
the venue's country (`a signé à Rabat`). Companies stand for their countries beside a state;
between companies only, the parties are the companies' names (`Naval Group a conclu une
alliance avec Odebrecht`). `un protocole d'accord avec la Corée du Sud ..., et un autre avec la
Chine`: a second agreement of the same kind and subject.

A specific kind whose clause names no party this way takes the countries of its stretch of the
sentence (up to the neighbouring agreement nouns), as a last resort.

The words of these tests (consent, prospect, refusal and negation words, what opens an incise
and what ends a clause or a party's phrase) are rules/agreements.yaml.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .parse import has_determiner, mood_tense
from .roles import person_country, person_lookup, role_records
from .rules import RelationRules, agreement_head
from .view import PARTY_LABELS, DocView
from .words import AgreementWords, RoleWords

# The French words this module reads are data: rules/agreements.yaml (`AgreementWords`) and
# the role words of rules/roles.yaml (`RoleWords`, for the signatories' roles). What stays
# here is grammar and arithmetic, not vocabulary:
CLITICS = {"se", "s'", "s’", "ne", "n'", "n’"}  # the clitics of a verb, skipped in its subject group
STATE_ORG_TYPES = ("government", "armed_forces")  # `type` codes of rules/organisations.yaml: organs of a state
SALE_REACH = 10   # words after a bare agreement noun where a purchase makes it a sale
PLACE_REACH = 8   # words between the signing word and the venue (`signé le 2 octobre 2020 à Rabat`)


def agreements(view: DocView, rules: RelationRules, words: AgreementWords, role_words: RoleWords) -> list[dict]:
    """One agreement per agreement noun stated as concluded, with its parties; the same
    parties and kind stated again complete the first statement (`role_words`: to read the
    signatories' roles)."""
    out, seen = [], {}
    lookup = person_lookup(view)
    records = role_records(view, rules, role_words)["roles"]
    for s, sent in enumerate(view.sents):
        matches = agreement_matches(view, rules, sent)
        for k, (kind, start, end) in enumerate(matches):
            lo = matches[k - 1][2] if k else sent.start_char
            hi = matches[k + 1][1] if k + 1 < len(matches) else sent.end_char
            noun = view.first_token_from(sent, start)
            if noun is None:
                continue
            bare = kind in rules["bare_agreement_kinds"] or kind[:-1] in rules["bare_agreement_kinds"]
            for relation in agreement_at(view, rules, words, s, sent, noun, kind, bare, lo, hi, lookup, records):
                key = (tuple(relation["attrs"]["parties"]), kind)
                if key not in seen:
                    seen[key] = relation
                    out.append(relation)
                else:  # a restatement completes the agreement: its date, signatory, place
                    for arg, value in relation["args"].items():
                        seen[key]["args"].setdefault(arg, value)
    return out


def agreement_matches(view: DocView, rules: RelationRules, sent: Span) -> list[tuple[str, int, int]]:
    """(kind as written, start, end) of the agreement nouns, longest first, no overlap."""
    found: list[tuple[str, int, int]] = []
    text = view.sentence_index.text_of(sent)
    heads = {agreement_head(match.group(0)) for match in rules.agreement_prefilter.finditer(text)}
    if not heads:
        return found  # most sentences name no agreement
    kinds = sorted(k for head in heads for k in rules.agreement_kinds_of_head.get(head, ()))
    for _, pattern in (rules.agreement_regexes[k] for k in kinds):  # longest first, as listed
        for match in pattern.finditer(text):
            start, end = sent.start_char + match.start(), sent.start_char + match.end()
            if not any(start < e and s < end for _, s, e in found):
                kind = re.sub(r"\s+", " ", match.group(0).lower().replace("’", "'"))
                found.append((kind, start, end))
    return sorted(found, key=lambda item: item[1])


def agreement_at(view: DocView, rules: RelationRules, words: AgreementWords, s: int, sent: Span, noun: Token,
                 kind: str, bare: bool, lo: int, hi: int, lookup: dict, records: dict) -> list[dict]:
    """The agreement (and an elliptic second one) that an agreement noun states, if any."""
    if (bare and is_consent(view, words, noun)) or is_restatement(rules, noun) or is_prospect(view, words, noun):
        return []
    if view.label_at(noun) in ("ORG", "LOC", "PER", "WEAPON"):
        return []  # a word of a name: "l'Alliance atlantique"
    if bare and is_sale(view, rules, words, noun, sent):
        return []
    signing = signing_token(view, rules, words, noun, sent)
    if bare and signing is None:
        return []
    if signing is not None and not_done(view, rules, words, signing):
        return []
    verb = signing if signing is not None and signing.pos_ in ("VERB", "AUX") else clause_verb(noun)
    subject = subject_items(view, words, sent, verb, noun) if verb is not None else []
    agent = agent_items(view, words, sent, signing) if signing is not None else []
    partners = partner_items(view, words, sent, noun, verb)
    own = demonym_items(view, words, noun, sent)
    items = [*subject, *agent, *partners, *own]
    said = subject_tokens(view, words, sent, verb, noun) if verb is not None else []
    # "Il a signé ...": whose, the clause does not say
    unknown = bool(said) and said[0].lower_ in words.subject_pronouns
    relation = make_relation(view, rules, s, sent, noun, kind, bare, items, signing, lo, hi, lookup, records,
                             subject_text=" ".join(t.lower_ for t in said), fallback=not unknown)
    out = [relation] if relation else []
    other = elliptic_partner(view, words, sent, noun)
    if other:
        second = make_relation(view, rules, s, sent, noun, kind, bare, [*subject, *other], signing, lo, hi,
                               lookup, records, subject_text="", fallback=False)
        if second:
            out.append(second)
    return out


# ---------------------------------------------------------------- filters

def is_consent(view: DocView, words: AgreementWords, noun: Token) -> bool:
    """`se sont mis d'accord`, `est d'accord`, `d'un commun accord`, `en accord avec`."""
    doc = view.doc
    before = [doc[i] for i in range(max(0, noun.i - 3), noun.i)]
    if before and before[-1].lower_ in ("commun", "en"):
        return True
    if before and before[-1].lower_ in ("d'", "d’", "de"):
        prev = before[-2] if len(before) >= 2 else None
        return prev is not None and (prev.pos_ in ("VERB", "AUX") or prev.lemma_.lower() in words.consent_verbs)
    return False


def is_restatement(rules: RelationRules, noun: Token) -> bool:
    """`cet accord`, `ces accords`: an agreement stated before."""
    return has_determiner(noun, rules["demonstrative_determiners"]) \
        or (noun.i > 0 and noun.doc[noun.i - 1].lower_ in rules["demonstrative_determiners"])


def is_prospect(view: DocView, words: AgreementWords, noun: Token) -> bool:
    """`un éventuel accord`, `un futur traité`, `un projet d'accord`; `les négociations sur un
    accord de paix`, `parvenir à un accord`: one sought, not concluded."""
    doc = view.doc
    near = [doc[i] for i in range(max(0, noun.i - 3), min(len(doc), noun.i + 3)) if i != noun.i]
    if any(t.lemma_.lower() in words.hypothetical_words or t.lower_ in words.hypothetical_words for t in near
           if t.i < noun.i or t.head.i == noun.i):
        return True
    return any(t.lemma_.lower() in words.sought_words for t in doc[max(0, noun.i - 4):noun.i])


def is_sale(view: DocView, rules: RelationRules, words: AgreementWords, noun: Token, sent: Span) -> bool:
    """A bare agreement whose words go on to a purchase or a weapon: the deal itself."""
    for t in view.doc[noun.i + 1:min(sent.end, noun.i + 1 + SALE_REACH)]:
        if t.text in (";", ".") or t.lower_ in words.clause_breaks:
            return False
        if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in rules.transfer_nouns:
            return True
        if view.label_at(t) == "WEAPON":
            return True
    return False


def signing_token(view: DocView, rules: RelationRules, words: AgreementWords, noun: Token, sent: Span) -> Token | None:
    """The word that says the agreement was signed or concluded: the verb whose object or
    subject it is (`a signé un accord`, `un accord a été signé`), a participle on it (`un accord
    signé en 2008`, even one the parse hangs on its complement), or the noun it complements
    (`la signature d'un accord`)."""
    signing = rules["signing_lemmas"]
    head = noun.head
    # the subject of a modal whose complement signs: "un accord pourrait être signé"
    complement = next((c for c in head.children if c.dep_ == "xcomp" and c.lemma_.lower() in signing), None) \
        if noun.dep_.startswith("nsubj") else None
    if complement is not None:
        return complement
    for _ in range(2):
        if head.lemma_.lower() in signing:
            return head
        if head.dep_ not in ("conj", "xcomp") or head.head.i == head.i:
            break
        head = head.head
    # a participle right after the noun phrase: "accord de coopération stratégique signé"
    for t in view.doc[noun.i + 1:min(sent.end, noun.i + 8)]:
        if t.lemma_.lower() in signing and t.pos_ == "VERB" and "Part" in t.morph.get("VerbForm"):
            return t
        if t.text in (",", ";", ".") or (t.pos_ in ("VERB", "AUX") and t.lemma_.lower() not in signing):
            break
    # the verb a few words before with nothing but the noun phrase between ("a signé jeudi un accord")
    for t in reversed(list(view.doc[max(sent.start, noun.i - 6):noun.i])):
        if t.lemma_.lower() in signing:
            return t
        if t.text in (",", ";") or t.pos_ in ("VERB",) or t.lower_ in words.clause_breaks:
            break
    return None


def not_done(view: DocView, rules: RelationRules, words: AgreementWords, signing: Token) -> bool:
    """The signing is to come, refused or denied: `pourrait signer`, `pourrait être signé`, `devrait conclure`,
    `refuse de signer`, `n'a pas signé`, `signera`, `en vue de la signature`."""
    if signing.pos_ == "NOUN":
        before = view.doc[max(0, signing.i - 3):signing.i]
        return any(t.lower_ in words.prospect_words for t in before)
    mood, tense = mood_tense(signing, rules["irregular_future_stems"])
    if tense == "Fut" or (mood == "Cnd" and tense == "Pres"):
        return True
    if any(c.lower_ in words.negations and c.dep_ == "advmod" for c in signing.children):
        return True
    head = signing.head
    governed = "Inf" in signing.morph.get("VerbForm") or signing.dep_ == "xcomp"  # `pourrait être signé`
    if governed and head.i != signing.i and head.lemma_.lower() in words.not_done_verbs:
        return True
    return any(c.dep_.startswith("aux") and c.lemma_.lower() in words.not_done_verbs for c in signing.children)


def clause_verb(noun: Token) -> Token | None:
    """The verb whose object or subject the noun is (`ont conclu un accord de coopération`)."""
    head = noun.head
    if head.pos_ in ("VERB", "AUX") and noun.dep_ in ("obj", "nsubj", "nsubj:pass", "obl", "obl:arg", "obl:mod"):
        return head
    return None


# ---------------------------------------------------------------- parties

def subject_tokens(view: DocView, words: AgreementWords, sent: Span, verb: Token, noun: Token) -> list[Token]:
    """The words of the verb's subject: the comma-separated group just before the verb
    (incises such as `au terme de négociations` skipped: `la Grèce et Chypre, au terme de
    ..., ont signé`), else its parse subject; none when the agreement is the subject (`un
    mémorandum a été signé`) or the verb a participle on it (`un accord signé par`)."""
    if verb.i > noun.i and any(c.i == noun.i and c.dep_.startswith("nsubj") for c in verb.children):
        return []
    auxes = [c.i for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i]
    if "Part" in verb.morph.get("VerbForm") and not auxes:
        return []
    groups: list[list[Token]] = [[]]
    for t in reversed(list(view.doc[sent.start:min([verb.i, *auxes])])):
        if t.lower_ in words.clause_breaks or (t.pos_ in ("VERB", "AUX") and view.mention_at(t) is None):
            break
        if t.text == ",":
            groups.append([])
        else:
            groups[-1].insert(0, t)
    for group in groups:
        kept = [t for t in group if not (t.pos_ in ("ADV", "PRON") and t.lower_ in CLITICS)]
        if not kept:
            continue
        if kept[0].lower_ in words.incise_openers or all(view.label_at(t) == "DATE" or t.pos_ == "ADV" for t in kept):
            continue
        if items_in(view, kept) or any(t.lower_ in words.subject_pronouns for t in kept[:1]):
            return kept
        break
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.i < verb.i:
        return [t for t in subject.subtree if not in_relative(t, subject)]
    return []


def in_relative(token: Token, root: Token) -> bool:
    """The token belongs to a relative clause or a prepositional phrase about something
    else inside the subject (`qui ...`, `sur le programme`)."""
    t = token
    while t.i != root.i and t.head.i != t.i:
        if t.dep_ in ("acl:relcl", "acl", "advcl"):
            return True
        t = t.head
    return False


def subject_items(view: DocView, words: AgreementWords, sent: Span, verb: Token, noun: Token) -> list:
    tokens = subject_tokens(view, words, sent, verb, noun)
    if any(t.lower_ in words.subject_pronouns for t in tokens[:1]):
        return previous_subject(view, words, view.sentence_index.number(sent.start))
    return items_in(view, tokens)


def previous_subject(view: DocView, words: AgreementWords, s: int) -> list:
    """`Il a signé ...`: the party that is the subject of the sentence before, or, when that
    subject is `le royaume`, `le pays`, the state named last before it."""
    if s == 0:
        return []
    sent = view.sents[s - 1]
    root = sent.root
    subject = subject_tokens(view, words, sent, root, root) if root.pos_ in ("VERB", "AUX") else []
    found = [i for i in items_in(view, subject) if not isinstance(i, int) or view.mentions[i]["label"] != "PER"]
    if found:
        return found[:1]
    if not any(t.lemma_.lower() in words.state_nouns for t in subject):
        return []
    for k in range(s - 2, max(-1, s - 5), -1):
        for t in reversed(list(view.sents[k])):
            index = view.mention_at(t)
            if index is not None and is_state(view, index) and view.country_of(index):
                return [("demonym", view.country_of(index))]
            if index is None and (iso := view.demonyms.get(t.lower_)):
                return [("demonym", iso)]
    return []


def agent_items(view: DocView, words: AgreementWords, sent: Span, signing: Token) -> list:
    """`signé en mars 2019 par l'Italie et le Qatar`, `signé à Rabat par le ministre
    israélien de la Défense Benny Gantz`: the words after `par` to the end of the clause."""
    par = next((t for t in view.doc[signing.i + 1:min(sent.end, signing.i + 12)] if t.lower_ == "par"), None)
    if par is None or any(t.pos_ in ("VERB", "AUX") for t in view.doc[signing.i + 1:par.i]):
        return []
    tokens = []
    for t in view.doc[par.i + 1:sent.end]:
        if t.text in (";", ".", ":") or t.lower_ in words.clause_breaks \
                or (t.pos_ in ("VERB", "AUX") and t.lower_ not in ("chargé", "chargée", "délégué")):
            break
        if t.text == "," and next_starts_clause(view, t):
            break
        tokens.append(t)
    return items_in(view, tokens)


def next_starts_clause(view: DocView, comma: Token) -> bool:
    """After this comma comes a new clause (its subject and verb), not an apposition."""
    for t in view.doc[comma.i + 1:min(len(view.doc), comma.i + 8)]:
        if t.text in (",", ";", "."):
            return False
        if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm"):
            return True
    return False


def partner_items(view: DocView, words: AgreementWords, sent: Span, noun: Token, verb: Token | None) -> list:
    """`avec X`, `entre X et Y` after the verb or the noun, in the same clause."""
    start = min(noun.i, verb.i) if verb is not None else noun.i
    items = []
    for t in view.doc[start + 1:sent.end]:
        if t.text in (";", ".") or t.lower_ in words.clause_breaks:
            break
        if t.i != noun.i and t.pos_ in ("VERB", "AUX") and t.i > noun.i and "Part" not in t.morph.get("VerbForm"):
            break
        if t.lower_ in ("avec", "entre") and t.i != noun.i:
            items += items_in(view, phrase_after(view, words, sent, t))
            if t.lower_ == "entre" or items:
                break
    return items


def phrase_after(view: DocView, words: AgreementWords, sent: Span, prep: Token) -> list[Token]:
    """The noun phrase after a preposition, with its coordinations (`la France et l'Inde`),
    up to the next phrase (`pour ...`, `sur ...`), clause or comma that opens no coordination."""
    tokens = []
    for t in view.doc[prep.i + 1:sent.end]:
        if t.text in (";", ".", ":", "(", "[") or t.lower_ in words.clause_breaks or t.lower_ in words.phrase_stops \
                or t.pos_ in ("VERB", "AUX"):
            break
        if t.text == "," and not (t.i + 1 < sent.end and view.doc[t.i + 1].lower_ == "et"):
            break
        tokens.append(t)
    return tokens


def demonym_items(view: DocView, words: AgreementWords, noun: Token, sent: Span) -> list:
    """`l'accord israélo-marocain`, `un accord de coopération militaire franco-indien`."""
    items = []
    for t in view.doc[noun.i + 1:min(sent.end, noun.i + 6)]:
        if t.is_punct and t.text != "-" or t.pos_ in ("VERB", "AUX") or t.lower_ in words.phrase_stops \
                or (t.pos_ == "ADP" and t.lower_ not in ("de", "d'", "d’")) or view.mention_at(t) is not None:
            break
        items += demonyms_of(view, t)
    return items


def demonyms_of(view: DocView, token: Token) -> list:
    iso = view.demonyms.get(token.lower_)
    if iso:
        return [("demonym", iso)]
    parts = [view.demonyms.get(p) for p in token.lower_.split("-")] if "-" in token.lower_ else []
    return [("demonym", p) for p in parts if p] if parts and all(parts) else []


def items_in(view: DocView, tokens: list[Token]) -> list:
    """The parties, persons and demonyms a phrase names (a demonym inside a company's phrase
    is the organisation's: `le chantier naval italien Fincantieri`)."""
    items, seen = [], set()
    has_company = any((i := view.mention_at(t)) is not None and view.mentions[i]["label"] == "ORG" for t in tokens)
    for t in tokens:
        index = view.mention_at(t)
        if index is not None:
            if index in seen:
                continue
            seen.add(index)
            label = view.mentions[index]["label"]
            if label == "PER" or (label in PARTY_LABELS and view.is_party(index)):
                items.append(index)
        elif not has_company:
            items += demonyms_of(view, t)
    return items


def elliptic_partner(view: DocView, words: AgreementWords, sent: Span, noun: Token) -> list:
    """`un protocole d'accord avec la Corée du Sud ..., et un autre avec la Chine`: the
    partner of a second agreement of the same kind."""
    for t in view.doc[noun.i + 1:sent.end]:
        if t.text in (";", ".") or t.lower_ in words.clause_breaks:
            return []
        if t.lower_ in ("autre", "second", "seconde", "deuxième") and view.doc[t.i - 1].lower_ in ("un", "une") \
                and t.i + 1 < sent.end and view.doc[t.i + 1].lower_ in ("avec", "entre"):
            return items_in(view, phrase_after(view, words, sent, view.doc[t.i + 1]))
    return []


def make_relation(view: DocView, rules: RelationRules, s: int, sent: Span, noun: Token, kind: str, bare: bool,
                  items: list, signing: Token | None, lo: int, hi: int, lookup: dict, records: dict,
                  subject_text: str, fallback: bool = True) -> dict | None:
    def inside(i: int) -> bool:
        return lo <= view.mentions[i]["start"] and view.mentions[i]["end"] <= hi
    venue = view.place_in(sent)
    venue = venue if venue is not None and inside(venue) else None
    anchor = signing or noun
    near = venue is not None and abs(view.mentions[venue]["token_start"] - anchor.i) <= PLACE_REACH
    place = venue if near else None
    mentions = sorted({i for i in items if isinstance(i, int)})
    signers = [i for i in mentions if view.mentions[i]["label"] == "PER"]
    members = [i for i in mentions if view.mentions[i]["label"] != "PER" and i != place]
    demonyms = {iso for kind_, iso in (i for i in items if isinstance(i, tuple))}
    if members and not any(is_state(view, i) for i in members) and not demonyms and not signers:
        parties = {view.norm(i).get("name") or view.mentions[i]["text"] for i in members}  # companies only
    else:
        parties = {member_country(view, i) for i in members} | demonyms
        parties |= {c for i in signers if (c := signer_country(view, i, lookup, records))}
        parties.discard(None)
    if not parties and rules.pair_regex.search(subject_text or view.sentence_index.text[lo:hi]):
        parties = view.recent_countries(s, 2)  # "les deux pays ont conclu un accord"
    if len(parties) == 1 and place is not None and view.country_of(place):
        parties.add(view.country_of(place))  # "signé à Rabat par le ministre israélien"
    if len(parties) < 2 and fallback and not bare:
        place = venue
        parties, members = stretch_parties(view, rules, s, sent, lo, hi, place, signing, lookup, records)
    if not 2 <= len(parties) <= rules.max_agreement_parties:
        return None
    args: dict = {"parties": members} if members else {}  # parties named only by demonyms or signatories
    if signers:
        args["signatory"] = signers[0]
    date = nearest_date(view, s, signing or noun, inside)
    if date is not None:
        args["date"] = date
    if place is not None:
        args["place"] = place
    return {"type": "agreement", "args": args, "attrs": {"parties": sorted(parties), "kind": kind},
            "evidence": view.evidence(s)}


def member_country(view: DocView, index: int) -> str | None:
    """A party's country: its own, else a demonym in its words (`ministre espagnol de la
    Défense` taken for an organisation), else a company's name."""
    iso = view.country_of(index) or view.demonym_country(view.span_of(index))
    if iso is None and view.is_company(index):
        return view.norm(index).get("name")
    return iso


def is_state(view: DocView, index: int) -> bool:
    """A state or one of its organs (a place, a government, armed forces), not a company."""
    m = view.mentions[index]
    return m["label"] == "LOC" or view.norm(index).get("type") in STATE_ORG_TYPES


def signer_country(view: DocView, index: int, lookup: dict, records: dict) -> str | None:
    record = records.get(view.norm(index).get("name"))
    return (record or {}).get("country") or person_country(view, index, lookup)


def nearest_date(view: DocView, s: int, anchor: Token, inside) -> int | None:
    dates = [i for i in view.calendar_dates(s) if inside(i)]
    return min(dates, key=lambda i: abs(view.mentions[i]["token_start"] - anchor.i), default=None)


def stretch_parties(view: DocView, rules: RelationRules, s: int, sent: Span, lo: int, hi: int, place: int | None,
                    signing: Token | None, lookup: dict, records: dict) -> tuple[set, list]:
    """The countries named in the agreement's stretch of the sentence (a specific kind whose
    clause names no party: `une visite ... qui avait abouti à la signature d'un accord de
    coopération`)."""
    def inside(i: int) -> bool:
        return lo <= view.mentions[i]["start"] and view.mentions[i]["end"] <= hi
    members = [i for i in view.in_sentence(s, PARTY_LABELS) if inside(i) and view.is_party(i)]
    parties = {view.country_of(i) for i in members
               if view.country_of(i) and not (i == place and view.norm(i).get("type") == "city")}
    parties |= {iso for t in sent if lo <= t.idx < hi and (iso := view.demonyms.get(t.lower_))
                and not t.lower_.endswith("o")}
    if signing is not None:
        parties |= {c for i in view.in_sentence(s, ("PER",)) if inside(i)
                    and (c := signer_country(view, i, lookup, records))}
    if not parties and rules.pair_regex.search(view.sentence_index.text[lo:hi]):
        parties = view.recent_countries(s, 2)
    if len(parties) == 1 and place is not None and view.country_of(place):
        parties.add(view.country_of(place))
    return parties, members
