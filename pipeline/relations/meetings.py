"""Meetings: two persons together, one relation per pair, with the date and place.

The persons of a sentence are its PER mentions and its title anaphors (`le président
ukrainien` for Zelensky, see `roles.title_anaphors`); not a person introduced by `selon` (the
source). The constructions:

- a meeting verb (`rencontrer`, `recevoir`, `accueillir`, `s'entretenir`, ...): the person
  before it (its subject, or the passive agent's partner: `X a été reçu par Y`) meets each
  person after it in the same clause; `X et Y se sont rencontrés`: the coordinated subjects;
- `avec` in a sentence that holds a meeting word (`au cours d'une réunion avec le
  chancelier, X`, `lors d'un point presse avec son homologue grec, X`, `lors d'un dîner avec
  X`): the person before `avec` meets the person it introduces;
- a visit (`lors de la visite de X à Washington, Y a annoncé ...`): the visitor meets another
  person of the sentence who is not of the visitor's country (the host).

Not a meeting: one called off or put off (`a annulé sa visite`, `a reporté`), one to come
(`rencontrera`, `doit rencontrer`, `pourrait rencontrer`), a call (`par téléphone`).

A meeting's date and place are those of its sentence (the place after `à`/`au`/`en`/`dans`,
or after the visit word); failing that, those of the visit of one of the persons stated just
before (`lors d'un déplacement de X à Athènes, mardi 4 mars. ... avec son homologue`):
the place of the last such visit, its date only from the sentence just before.

The words of these tests (visit, cancellation, call, modal and source words) are
rules/meetings.yaml.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .parse import is_finite_clause_start, mood_tense
from .roles import anaphors_of, person_country, person_lookup, role_records
from .rules import RelationRules
from .view import DocView
from .words import MeetingWords, RoleWords

# The French words this module reads are data: rules/meetings.yaml (`MeetingWords`) and the
# role words of rules/roles.yaml (`RoleWords`, for the title anaphors and persons' roles).
AVEC_REACH = 10  # words of title between `avec` and the name (`avec le ministre des Armées d'alors, X`)


def meetings(view: DocView, rules: RelationRules, words: MeetingWords, role_words: RoleWords) -> list[dict]:
    """One meeting per pair of persons stated together (`role_words`: to read the title
    anaphors and the persons' roles)."""
    lookup = person_lookup(view)
    records = role_records(view, rules, role_words)["roles"]
    persons_by_sentence = sentence_persons(view, rules, role_words)
    visits = visit_anchors(view, words, persons_by_sentence)
    out, seen = [], set()
    for s, sent in enumerate(view.sents):
        persons = [p for p in persons_by_sentence.get(s, []) if not reported_by(view, words, sent, p[0])]
        if len({view.norm(p[2])["name"] for p in persons}) < 2 or called_off(view, words, sent):
            continue
        pairs = verb_pairs(view, rules, words, sent, persons) + avec_pairs(view, rules, words, sent, persons) \
            + visit_pairs(view, words, sent, persons, records, lookup)
        for a, b in pairs:
            names = tuple(sorted({view.norm(a)["name"], view.norm(b)["name"]}))
            if len(names) < 2 or names in seen:
                continue
            seen.add(names)
            args = {"participants": [a, b]}
            date, place = when_and_where(view, words, s, sent, (a, b), visits)
            if date is not None:
                args["date"] = date
            if place is not None:
                args["place"] = place
            out.append({"type": "meeting", "args": args, "attrs": {"participants": list(names)},
                        "evidence": view.evidence(s)})
    return out


def sentence_persons(view: DocView, rules: RelationRules,
                     role_words: RoleWords) -> dict[int, list[tuple[int, int, int]]]:
    """Per sentence, its persons in order: (first token, last token + 1, PER mention index),
    title anaphors included (their mention index is the antecedent's)."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    for s in range(len(view.sents)):
        out[s] = [(view.mentions[i]["token_start"], view.mentions[i]["token_end"], i)
                  for i in view.in_sentence(s, ("PER",))]
    for anaphor in anaphors_of(view, rules, role_words):
        person = (anaphor["token_start"], anaphor["token_end"], anaphor["person"])
        out.setdefault(anaphor["sentence"], []).append(person)
    for persons in out.values():
        persons.sort()
    return out


def reported_by(view: DocView, words: MeetingWords, sent: Span, start: int) -> bool:
    """A person introduced by `selon` (the source, not a participant)."""
    return any(t.lower_ in words.source_words for t in view.doc[max(sent.start, start - 4):start])


def called_off(view: DocView, words: MeetingWords, sent: Span) -> bool:
    """`a annulé son déplacement`, `a repoussé sa visite`: no meeting took place; `s'est
    entretenu par téléphone avec`: not together."""
    return any(t.lower_ in words.cancel_cues or t.lemma_.lower() in words.cancel_cues or t.lower_ in words.remote_cues
               for t in sent)


def to_come(trigger: Token, rules: RelationRules, words: MeetingWords) -> bool:
    """`rencontrera`, `pourrait rencontrer`, `doit recevoir`: a meeting not (yet) held."""
    mood, tense = mood_tense(trigger, rules["irregular_future_stems"])
    if tense == "Fut" or (mood == "Cnd" and tense == "Pres"):
        return True
    if "Inf" in trigger.morph.get("VerbForm") and trigger.head.i != trigger.i \
            and trigger.head.lemma_.lower() in words.modal_lemmas:
        return True
    return any(c.dep_.startswith("aux") and c.lemma_.lower() in words.modal_lemmas for c in trigger.children)


def verb_pairs(view: DocView, rules: RelationRules, words: MeetingWords, sent: Span,
               persons: list) -> list[tuple[int, int]]:
    """`X a rencontré Y, Z`, `X a été reçu par Y`, `X et Y se sont entretenus`, `X et Y ont
    inauguré ensemble`."""
    pairs = []
    for trigger in sent:
        together = any(c.lower_ in words.together_words for c in trigger.children)  # "ont inauguré ensemble"
        if trigger.pos_ != "VERB" or trigger.lemma_.lower() not in rules["meeting_lemmas"] and not together \
                or to_come(trigger, rules, words):
            continue
        before = [p for p in persons if p[1] <= trigger.i]
        after = [p for p in persons if p[0] > trigger.i and same_clause(view, trigger, p[0], sent)]
        if trigger.lemma_.lower() == "recevoir":
            # "X a reçu de Y une lettre": a thing received, unless in a visit
            visit = any(t.lemma_.lower() in words.visit_words for t in sent)
            after = [p for p in after if visit or not introduced_by(view, p[0], ("de", "du", "d'", "d’", "des"))]
        if before and after:
            pairs.extend((before[-1][2], guest[2]) for guest in after)
        elif len(before) >= 2 and not after and coordinated(view, before[-2], before[-1]):
            pairs.append((before[-2][2], before[-1][2]))
    return pairs


def same_clause(view: DocView, trigger: Token, start: int, sent: Span) -> bool:
    """No other finite clause opens between the trigger and the person."""
    return not any(is_finite_clause_start(t) and "Part" not in t.morph.get("VerbForm")
                   for t in view.doc[trigger.i + 1:start])


def introduced_by(view: DocView, start: int, words: tuple[str, ...]) -> bool:
    """The person's phrase opens with one of the words (title words and articles skipped)."""
    for t in reversed(list(view.doc[max(0, start - AVEC_REACH):start])):
        if t.lower_ in words:
            return True
        if t.lower_ in ("à", "au", "par", "avec", "et") or t.pos_ in ("VERB", "AUX"):
            return False
    return False


def coordinated(view: DocView, first: tuple, second: tuple) -> bool:
    """`X et Y` (titles allowed between)."""
    between = view.doc[first[1]:second[0]]
    return any(t.lower_ == "et" for t in between) and not any(t.pos_ in ("VERB", "AUX") for t in between)


def avec_pairs(view: DocView, rules: RelationRules, words: MeetingWords, sent: Span,
               persons: list) -> list[tuple[int, int]]:
    """`au cours d'une réunion avec le chancelier, X`: the person before `avec` meets X, in a
    sentence that holds a meeting word."""
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    if lemmas.isdisjoint(rules["meeting_lemmas"]) and "homologue" not in lemmas:
        return []
    pairs = []
    for k, person in enumerate(persons):
        avec = avec_before(view, person[0], sent)
        if avec is None:
            continue
        partner = next((p for p in reversed(persons[:k]) if p[1] <= avec), None)
        if partner is not None and not any(t.pos_ == "VERB" and to_come(t, rules, words)
                                           for t in view.doc[partner[1]:avec]):
            pairs.append((partner[2], person[2]))
    return pairs


def avec_before(view: DocView, start: int, sent: Span) -> int | None:
    """The `avec` that introduces the person (`avec son homologue serbe, X`), if any."""
    for t in reversed(list(view.doc[max(sent.start, start - AVEC_REACH):start])):
        if t.lower_ == "avec":
            return t.i
        if t.pos_ in ("VERB", "AUX") or t.lower_ in ("et", "à", "par", "selon", ";") or view.label_at(t) == "PER":
            return None
    return None


def visit_pairs(view: DocView, words: MeetingWords, sent: Span, persons: list, records: dict,
                lookup: dict) -> list[tuple[int, int]]:
    """`lors de la visite de X à Washington, Y a annoncé`: X meets Y (not of X's country)."""
    pairs = []
    for t in sent:
        if t.lemma_.lower() not in words.visit_words or t.pos_ != "NOUN":
            continue
        visitor = next((p for p in persons if p[0] > t.i and introduced_by(view, p[0], ("de", "du", "d'", "d’"))
                        and not any(x.pos_ in ("VERB", "AUX") for x in view.doc[t.i + 1:p[0]])
                        and p[0] - t.i <= AVEC_REACH), None)
        if visitor is None:
            continue
        own = country_of_person(view, visitor[2], records, lookup)
        for host in persons:
            if host[2] == visitor[2]:
                continue
            theirs = country_of_person(view, host[2], records, lookup)
            if own and theirs and own == theirs:
                continue
            pairs.append((visitor[2], host[2]))
    return pairs


def country_of_person(view: DocView, index: int, records: dict, lookup: dict) -> str | None:
    record = records.get(view.norm(index)["name"])
    return (record or {}).get("country") or person_country(view, index, lookup)


# ---------------------------------------------------------------- date and place

def visit_anchors(view: DocView, words: MeetingWords,
                  persons_by_sentence: dict) -> dict[str, list[tuple[int, int | None, int | None]]]:
    """Per person name, the visits stated of them: (sentence, date mention, place mention)."""
    anchors: dict[str, list] = {}
    for s, sent in enumerate(view.sents):
        if not view.has_lemma(sent, words.visit_words) and not view.has_lemma(sent, words.visit_verbs):
            continue
        cue = next((t for t in sent if t.lemma_.lower() in words.visit_words
                    or (t.pos_ == "VERB" and t.lemma_.lower() in words.visit_verbs)), None)
        if cue is None:
            continue
        place = place_after(view, sent, cue) or view.place_in(sent)
        date = next(iter(view.calendar_dates(s)), None)
        for _, _, person in persons_by_sentence.get(s, []):
            anchors.setdefault(view.norm(person)["name"], []).append((s, date, place))
    return anchors


def place_after(view: DocView, sent: Span, cue: Token) -> int | None:
    """The first place named in the words after a visit word: after `à`/`au`/`en`/`dans`/`sur`
    (`visite ... à Belgrade`), else a city after `de` (`en visite sur la base aérienne
    d'Eindhoven`; not `d'un chef d'état-major d'Israël`)."""
    places = []
    for t in view.doc[cue.i + 1:min(sent.end, cue.i + 16)]:
        index = view.mention_at(t)
        if index is not None and view.mentions[index]["label"] == "LOC" and t.i == view.mentions[index]["token_start"]:
            k = t.i - 1
            while k > cue.i and view.doc[k].pos_ == "DET":
                k -= 1
            places.append((view.doc[k].lower_, index))
    strong = next((i for prep, i in places if prep in ("à", "au", "aux", "en", "dans", "sur")), None)
    if strong is not None:
        return strong
    return next((i for prep, i in places
                 if prep in ("de", "d'", "d’", "du") and view.norm(i).get("type") != "country"), None)


def when_and_where(view: DocView, words: MeetingWords, s: int, sent: Span, pair: tuple[int, int], visits: dict):
    """The date and place of the meeting sentence; else those of the last visit of one of
    its persons stated before (the date only from the sentence just before, or this one)."""
    date = next(iter(view.calendar_dates(s)), None)
    cue = next((t for t in sent if t.lemma_.lower() in words.visit_words), None)
    place = (place_after(view, sent, cue) if cue is not None else None) or view.place_in(sent)
    anchors = sorted((a for p in pair for a in visits.get(view.norm(p)["name"], []) if a[0] <= s),
                     key=lambda a: a[0], reverse=True)
    if place is None:
        place = next((a[2] for a in anchors if a[2] is not None), None)
    if date is None:
        date = next((a[1] for a in anchors if a[1] is not None and a[0] >= s - 1), None)
    return date, place
