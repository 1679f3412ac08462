"""What a document names once and then refers to: its weapon systems and its parties.

- A generic weapon noun (`ces appareils`, `les chasseurs français`, `l'hélicoptère`) stands
  for the named system of the same category (else of the same group: `les avions` for a C-390) that the document names most among those named
  before it (the first named on ties: the lede's system; the system it stands in apposition
  to: `des CN-235 (avion de patrouille maritime)`), or, if none, the one named next in its sentence (`des
  drones turcs : 24 Bayraktar TB2`); not when the noun gives another origin (`avions de
  combat russes` in an article on the Rafale). SCHEMA.md: the generic noun takes that system's name; its mention's `norm` is
  completed here, so entities and relations agree.
- The topic weapon of a document is the named system it names most (first named on ties):
  what `en` stands for in `l'Égypte en aligne 30` when the clause names no weapon.
"""
from __future__ import annotations

from collections import Counter

from .view import DocView

CATAPHORA_SENTENCES = 0  # a generic noun may take a name given later only in its own sentence


def name_generic_weapons(view: DocView) -> None:
    """Complete the norm of each generic weapon mention with its antecedent's name."""
    named = [i for i, m in enumerate(view.mentions) if m["label"] == "WEAPON" and view.norm(i).get("name")]
    if not named:
        return
    for index, mention in enumerate(view.mentions):
        norm = view.norm(index)
        if mention["label"] != "WEAPON" or norm.get("name") or not norm.get("category"):
            continue
        antecedent = weapon_antecedent(view, index, named)
        if antecedent is not None:
            view.coreferred.add(index)
            source = view.norm(antecedent)
            mention["norm"] = {**norm, "name": source["name"],
                               "manufacturer": norm.get("manufacturer") or source.get("manufacturer"),
                               "country": norm.get("country") or source.get("country")}


def weapon_antecedent(view: DocView, index: int, named: list[int]) -> int | None:
    """The named weapon mention a generic one stands for, if any."""
    generic = view.mentions[index]
    norm = view.norm(index)

    def fits(i: int, exact: bool = True) -> bool:
        other = view.norm(i)
        return (other.get("category") == norm["category"] if exact else view.same_kind(i, index)) and (
            norm.get("country") is None or other.get("country") in (None, norm["country"]))
    before = [i for i in named if view.mentions[i]["token_start"] < generic["token_start"] and fits(i)] \
        or [i for i in named if view.mentions[i]["token_start"] < generic["token_start"] and fits(i, exact=False)]
    if before and is_apposition(view, before[-1], index):
        return before[-1]  # "des CN-235 (avion de patrouille maritime)"
    if before:
        # the system the document names most (a competitor named last is not what `les
        # appareils` stands for), the latest named on ties
        counts = Counter(view.norm(i)["name"] for i in named)
        first = {}
        for i in named:
            first.setdefault(view.norm(i)["name"], i)
        return max(before, key=lambda i: (counts[view.norm(i)["name"]], -first[view.norm(i)["name"]]))
    return next((i for i in named if fits(i) and view.mentions[i]["token_start"] > generic["token_start"]
                 and view.mentions[i]["sentence"] <= generic["sentence"] + CATAPHORA_SENTENCES), None)


def topic_weapon(view: DocView, before_token: int | None = None) -> int | None:
    """The named weapon mention the document is about (the most named system, the first of
    them on ties), counting only mentions before `before_token` when given; its last mention."""
    names: Counter = Counter()
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, m in enumerate(view.mentions):
        name = view.norm(i).get("name") if m["label"] == "WEAPON" else None
        if name and (before_token is None or m["token_start"] < before_token):
            names[name] += 1
            first.setdefault(name, i)
            last[name] = i
    if not names:
        return None
    best = max(names, key=lambda name: (names[name], -first[name]))
    return last[best]


APPOSITION_LINKS = {"(", ",", ":", "un", "une", "le", "la", "l'", "l’", "des", "les"}


def is_apposition(view: DocView, named: int, generic: int) -> bool:
    """The generic noun describes the system named right before it (`le C-295, un avion de
    transport`, `des CN-235 (avion de patrouille maritime)`)."""
    between = view.doc[view.mentions[named]["token_end"]:view.mentions[generic]["token_start"]]
    return 0 < len(between) <= 3 and between[0].text in ("(", ",", ":") \
        and all(t.lower_ in APPOSITION_LINKS for t in between)
