"""Roles: the title next to a person's name (`Rajnath Singh, ministre de la Défense`, `le
chef d'état-major indien Anil Chauhan`), the function preferred over the rank, one per
person per document (a current role over a former one)."""
from __future__ import annotations

import functools
import re

from spacy.tokens import Token

from ..normalize.names import fold
from .rules import RelationRules
from .view import DocView

ROLE_PREFIXES = {"ancien", "ancienne", "ex", "ex-", "alors", "actuel", "actuelle", "nouveau", "nouvelle",
                 "futur", "future", "désormais", "aujourd'hui", "aussi", "également"}


@functools.lru_cache(maxsize=65536)
def role_phrase(words: tuple[str, ...]) -> str:
    """Words as a folded title phrase, apostrophes glued: `chef d' état-major` -> `chef d'etat major`."""
    text = fold(" ".join(words).replace(" '", "'").replace("' ", "'"))
    return re.sub(r"\s*([’'])\s*", "'", text)


def may_start_role(word: str, first_words: frozenset) -> bool:
    """Whether a title phrase can start with this word: its folded first part is the first
    word of a function or rank, or it ends with an apostrophe (glued to the next word), or it
    folds to nothing (a dash: the phrase starts with the next word)."""
    first = role_phrase((word,)).split(" ")[0]
    return not first or first in first_words or first.endswith("'")


def roles(view: DocView, rules: RelationRules) -> list[dict]:
    found: dict[str, dict] = {}
    consumed: set[int] = set()
    for index, m in enumerate(view.mentions):
        if m["label"] != "PER":
            continue
        name = m["norm"]["name"]
        role = role_after(view, rules, index, consumed) or role_before(view, rules, index, consumed) \
            or role_of_coordinated(view, index, found)
        if role is None:
            continue
        phrase, start, end, former = role
        current = found.get(name)
        if current and not (current["former"] and not former):
            continue
        found[name] = {"type": "holds_role", "args": {"person": index}, "former": former,
                       "attrs": {"role": phrase, "country": role_country(view, start, end, index)},
                       "evidence": view.evidence(m["sentence"])}
    out = []
    for relation in found.values():
        relation.pop("former")
        out.append(relation)
    return out


def role_of_coordinated(view: DocView, index: int, found: dict):
    """`les ministres de la Défense Manohar Parrikar et Jean-Yves Le Drian`: the second
    name shares the title of the first."""
    m = view.mentions[index]
    if index == 0 or m["token_start"] < 1 or view.doc[m["token_start"] - 1].lower_ != "et":
        return None
    prev = view.mentions[index - 1]
    relation = found.get(prev["norm"]["name"]) if prev["label"] == "PER" else None
    if relation is None or prev["token_end"] != m["token_start"] - 1:
        return None
    return relation["attrs"]["role"], m["token_start"], m["token_start"], False


def match_role(view: DocView, rules: RelationRules, tokens: list[Token]) -> tuple[str, int, int] | None:
    """The longest function (else rank) spelled by the tokens, ignoring demonyms."""
    kept = [t for t in tokens if t.lower_ not in view.demonyms]
    words = [singular(t) for t in kept]
    phrases_at = [(i, j, role_phrase(tuple(words[i:j])))
                  for i in range(len(kept)) if may_start_role(words[i], rules.role_first_words)
                  for j in range(len(kept), i, -1)]
    for phrases in (rules.functions, rules.ranks):
        best = None
        for i, j, text in phrases_at:
            if text in phrases and (best is None or (j - i, j) > (best[2] - best[1], best[2])):
                best = (text, i, j)  # the longest, then the nearest to the name
        if best:
            text, i, j = best
            return rules.role_forms.get(text, text).lower(), kept[i].i, kept[j - 1].i + 1
    return None


def singular(token: Token) -> str:
    """`ministres` -> `ministre`, `généraux` -> `général`: titles of several persons."""
    text = token.text
    if "Plur" in token.morph.get("Number") and text.islower() and token.pos_ in ("NOUN", "ADJ"):
        if text.endswith("aux"):
            return text[:-3] + "al"
        if text.endswith(("s", "x")):
            return text[:-1]
    return text


def role_after(view: DocView, rules: RelationRules, index: int, consumed: set[int]):
    """`Rajnath Singh, ministre de la Défense,`."""
    doc = view.doc
    end = view.mentions[index]["token_end"]
    if end >= len(doc) or doc[end].text != ",":
        return None
    tokens = []
    for t in doc[end + 1:min(len(doc), end + 12)]:
        if t.text in (",", ";", "(", ")", ".") or view.label_at(t) == "PER":
            break
        tokens.append(t)
    if not tokens or tokens[0].lower_ in ("et", "ou", "ni", "mais"):
        return None  # "Mark Esper, et le ministre délégué ...": the next person's title
    former = tokens[0].lower_ in ("ancien", "ancienne", "ex")
    while tokens and tokens[0].lower_ in ROLE_PREFIXES:
        tokens = tokens[1:]  # "alors ministre des Armées", "ancien chef du renseignement"
    found = match_role(view, rules, tokens)
    if found is None or (found[1] != tokens[0].i and doc[found[1] - 1].pos_ != "DET"):
        return None
    consumed.update(range(found[1], found[2]))
    return found[0], found[1], found[2], former


def role_before(view: DocView, rules: RelationRules, index: int, consumed: set[int]):
    """`le chef d'état-major indien Anil Chauhan`, `le général de brigade X Y`."""
    doc = view.doc
    start = view.mentions[index]["token_start"]
    if start and doc[start - 1].lower_ in ("de", "du", "d'", "d’", "des"):
        return None  # "les ministres du gouvernement de Macron": a complement, not a title
    sent_start = view.sentence_index.of(start).start
    tokens = []
    for t in reversed(list(doc[max(sent_start, start - 20):start])):
        if t.i in consumed or t.text in (";", "(", ")", "«", "»", ":") or t.pos_ in ("VERB", "AUX") \
                or view.label_at(t) == "PER":
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
    candidates = [c for c in (match_role(view, rules, g) for g in reversed(groups)) if c]
    found = next((c for c in candidates if fold(c[0]) in rules.functions), candidates[0] if candidates else None)
    if found is None:
        return None
    former = any(t.lower_ in ("ancien", "ancienne") for t in doc[max(0, found[1] - 2):found[1]])
    return found[0], found[1], found[2], former


def role_country(view: DocView, start: int, end: int, person: int) -> str | None:
    """The country of a role: a demonym or party in its words, else the person's lexicon country."""
    doc = view.doc
    iso = view.demonym_country(doc[max(0, start - 1):min(len(doc), end + 6)])
    if iso:
        return iso
    for t in doc[start:min(len(doc), end + 6)]:
        index = view.mention_at(t)
        if index is not None and index != person and view.is_party(index) and view.country_of(index):
            return view.country_of(index)
    return view.person_countries.get(view.norm(person)["name"])
