"""Agreements: an agreement noun (the longest kind) with a signing word or a specific kind;
its parties are the countries named in its stretch of the sentence (places, organisations,
demonyms, signatories), `les deux pays` the last two named before."""
from __future__ import annotations

import re

from spacy.tokens import Span

from .rules import RelationRules, agreement_head
from .view import PARTY_LABELS, DocView


def agreements(view: DocView, rules: RelationRules) -> list[dict]:
    """One agreement per agreement noun; its parties are the countries named in its
    stretch of the sentence (up to the neighbouring agreement nouns)."""
    out, seen = [], set()
    for s, sent in enumerate(view.sents):
        matches = agreement_matches(view, rules, sent)
        lemmas = view.sentence_index.lemmas(sent) if matches else frozenset()
        for k, (kind, start, end) in enumerate(matches):
            lo = matches[k - 1][2] if k else sent.start_char
            hi = matches[k + 1][1] if k + 1 < len(matches) else sent.end_char
            stretch = {t.lemma_.lower() for t in sent if lo <= t.idx < hi}
            bare = kind in rules["bare_agreement_kinds"] or kind[:-1] in rules["bare_agreement_kinds"]
            if bare and not stretch & rules["signing_lemmas"]:
                continue
            relation = agreement_in(view, rules, s, sent, kind, lo, hi, lemmas)
            if relation is None:
                continue
            key = (tuple(relation["attrs"]["parties"]), kind)
            if key not in seen:
                seen.add(key)
                out.append(relation)
    return out


def agreement_matches(view: DocView, rules: RelationRules, sent: Span) -> list[tuple[str, int, int]]:
    """(kind as written, start, end) of the agreement nouns, longest first, no overlap."""
    found: list[tuple[str, int, int]] = []
    text = view.sentence_index.text_of(sent)
    heads = {agreement_head(match.group(0)) for match in rules.agreement_prefilter.finditer(text)}
    for head, pattern in rules.agreement_regexes:
        if head not in heads:
            continue
        for match in pattern.finditer(text):
            start, end = sent.start_char + match.start(), sent.start_char + match.end()
            if not any(start < e and s < end for _, s, e in found):
                kind = re.sub(r"\s+", " ", match.group(0).lower().replace("’", "'"))
                found.append((kind, start, end))
    return sorted(found, key=lambda item: item[1])


def agreement_in(view: DocView, rules: RelationRules, s: int, sent: Span, kind: str, lo: int, hi: int,
                 lemmas: frozenset) -> dict | None:
    def inside(i: int) -> bool:
        return lo <= view.mentions[i]["start"] and view.mentions[i]["end"] <= hi
    place = view.place_in(sent)
    place = place if place is not None and inside(place) else None
    members = [i for i in view.in_sentence(s, PARTY_LABELS) if inside(i) and view.is_party(i)]
    parties = {view.country_of(i) for i in members
               if view.country_of(i) and not (i == place and view.norm(i).get("type") == "city")}
    parties |= {iso for t in sent if lo <= t.idx < hi and (iso := view.demonyms.get(t.lower_))
                and not t.lower_.endswith("o")}
    signing = bool(lemmas & rules["signing_lemmas"])
    signers = [i for i in view.in_sentence(s, ("PER",)) if inside(i)] if signing else []
    parties |= {c for i in signers if (c := view.person_countries.get(view.norm(i)["name"]))}
    if not parties and re.search(r"\b(les|ces) deux pays\b", view.sentence_index.text[lo:hi], re.IGNORECASE):
        parties = view.recent_countries(s, 2)  # "les deux pays ont conclu un accord"
    if len(parties) == 1 and place is not None and view.country_of(place):
        parties.add(view.country_of(place))  # "signé à Rabat par le ministre israélien"
    if not 2 <= len(parties) <= rules.max_agreement_parties:
        return None
    args: dict = {"parties": members}
    if signers:
        args["signatory"] = signers[0]
    date = next((i for i in view.calendar_dates(s) if inside(i)), None)
    if date is not None:
        args["date"] = date
    if place is not None:
        args["place"] = place
    return {"type": "agreement", "args": args, "attrs": {"parties": sorted(parties), "kind": kind},
            "evidence": view.evidence(s)}
