"""Meetings: a meeting word between persons: the person before it meets each person after it
(not one introduced by `selon`, the source)."""
from __future__ import annotations

from spacy.tokens import Span

from .rules import RelationRules
from .view import DocView


def meetings(view: DocView, rules: RelationRules) -> list[dict]:
    out, seen = [], set()
    for s, sent in enumerate(view.sents):
        persons = view.in_sentence(s, ("PER",))
        if len(persons) < 2 or view.sentence_index.lemmas(sent).isdisjoint(rules["meeting_lemmas"]):
            continue
        trigger = next(t for t in sent if t.lemma_.lower() in rules["meeting_lemmas"])
        before = [i for i in persons if view.mentions[i]["token_end"] <= trigger.i]
        after = [i for i in persons if view.mentions[i]["token_start"] > trigger.i]
        if not before or not after:
            continue
        host = before[-1]
        place = view.place_in(sent)
        date = next(iter(view.calendar_dates(s)), None)
        for guest in after:
            names = sorted({view.norm(host)["name"], view.norm(guest)["name"]})
            if len(names) < 2 or tuple(names) in seen or reported_by(view, sent, guest):
                continue
            seen.add(tuple(names))
            args = {"participants": [host, guest]}
            if date is not None:
                args["date"] = date
            if place is not None:
                args["place"] = place
            out.append({"type": "meeting", "args": args, "attrs": {"participants": names},
                        "evidence": view.evidence(s)})
    return out


def reported_by(view: DocView, sent: Span, index: int) -> bool:
    """A person introduced by `selon` (the source, not a participant)."""
    start = view.mentions[index]["token_start"]
    return any(t.lower_ in ("selon", "d'après", "d’après") for t in view.doc[max(sent.start, start - 4):start])
