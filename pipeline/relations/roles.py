"""Roles: the title next to a person's name (`Rajnath Singh, ministre de la Défense`, `le
chef d'état-major indien Anil Chauhan`), the function preferred over the rank, one per
person per document (a current role; a former one, `ancien ministre`, `le Premier ministre de
l'époque`, is not a role the person holds).

- The function is kept whole: a listed title (rules/roles.yaml, the longest wins), and for a
  minister or secretary of state the portfolio that follows it (`secrétaire d'État aux anciens
  combattants`); not the organisation or the country it is of (`directeur général d'Embraer`,
  `délégué général pour l'armement de la Belgique`), which give the role's country.
- The role is written as the title list spells it (`chef d'état-major` for `chef d'Etat-Major`)
  with the text's apostrophe (`chef d’état-major de la marine`).
- A title before a name reaches the name through appositions that are titles too (`le chef
  d'état-major de la marine, l'amiral X`), never across another phrase (`le président, lors
  d'un point presse avec son homologue grec, X`: the title is not X's).
- A title with a definite article and no name (`le président ukrainien a reçu ...`) stands for
  the person just named whose role or country it agrees with (`title_anaphors`): it gives that
  person's role when none was given, or the proper wording of a periphrasis (`chef de l'Etat`
  -> `président de la République`). Meetings read these anaphors too.
- The country: a demonym or a country named in the title's words, else the nationality of
  `son homologue britannique, l'amiral X`, else the person's country (the persons lexicon),
  else the one country the sentence names, else the document's main one.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Token

from ..normalize.names import fold
from .rules import RelationRules
from .view import DocView
from .words import RoleWords

# The French words around a title (former, portfolio, periphrases, participles) are data: the
# role-word sections of rules/roles.yaml (`RoleWords`). What stays here is grammar and arithmetic:
DEFINITE = frozenset({"le", "la", "l'", "l’"})  # the definite article of a title anaphor (`le président ukrainien`)
ANAPHOR_SENTENCES = 2   # a title stands for a person named at most this many sentences before
ANAPHOR_CANDIDATES = 3  # ... among the last persons named


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


@dataclass
class Role:
    """A title found for a person: its words (tokens [start, end)), former or not, and where
    its complement ends (the words that may name its country)."""
    phrase: str
    start: int
    end: int
    former: bool = False
    scope_end: int | None = None
    plural: bool = False


def person_lookup(view: DocView) -> dict[str, str | None]:
    """The persons lexicon's countries by loosely folded name (`Mariusz Blaszczak` finds
    `Mariusz Błaszczak`, `Aleksandar Vucic` finds `Aleksandar Vučić`); built once with the
    lexicon facts (`loose_names`)."""
    return view.person_lookup


def loose_names(person_countries: dict[str, str | None]) -> dict[str, str | None]:
    return {loose(name): country for name, country in person_countries.items()}


def loose(name: str) -> str:
    return fold(name).translate(LOOSE)


LOOSE = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "s", "æ": "a", "œ": "o", "ı": "i"})


def person_country(view: DocView, index: int, lookup: dict[str, str | None]) -> str | None:
    name = view.norm(index).get("name") or view.mentions[index]["text"]
    return view.person_countries.get(name) or lookup.get(loose(name))


def roles(view: DocView, rules: RelationRules, words: RoleWords) -> list[dict]:
    out = []
    for record in role_records(view, rules, words)["roles"].values():
        if record["former"]:
            continue
        out.append({"type": "holds_role", "args": {"person": record["person"]},
                    "attrs": {"role": record["role"], "country": record["country"]},
                    "evidence": view.evidence(view.mentions[record["person"]]["sentence"])})
    return out


def role_records(view: DocView, rules: RelationRules, words: RoleWords) -> dict:
    """`roles`: each person's role by canonical name (`person`, `role`, `country`, `former`,
    `plural`); `anaphors`: the title anaphors. Computed once per document view (kept as
    `view.role_records`: agreements and meetings read it too)."""
    if view.role_records is not None:
        return view.role_records
    lookup = person_lookup(view)
    dominant = dominant_country(view)
    found: dict[str, dict] = {}
    consumed: set[int] = set()
    for index, m in enumerate(view.mentions):
        if m["label"] != "PER":
            continue
        name = m["norm"]["name"]
        role = role_after(view, rules, words, index, consumed) or role_before(view, rules, words, index, consumed) \
            or role_of_coordinated(view, index, found)
        if role is None:
            continue
        current = found.get(name)
        if current and not better(rules, words, current, role):
            continue
        found[name] = {"person": index, "role": role.phrase, "former": role.former, "plural": role.plural,
                       "country": role_country(view, role, index, lookup, dominant)}
    anaphors = title_anaphors(view, rules, words, found, lookup)
    for anaphor in anaphors:
        record = found.get(anaphor["name"])
        if record is None:
            found[anaphor["name"]] = {"person": anaphor["person"], "role": anaphor["role"], "former": False,
                                      "plural": False,
                                      "country": anaphor["country"] or person_country(view, anaphor["person"], lookup)}
        elif fold(record["role"]) in words.periphrases and not record["former"]:
            record["role"] = anaphor["role"]
    view.role_records = {"roles": found, "anaphors": anaphors}
    return view.role_records


def better(rules: RelationRules, words: RoleWords, current: dict, role: Role) -> bool:
    """Whether a newly found role replaces the person's current one: a current role over a
    former one, a function over a rank."""
    if current["former"] != role.former:
        return current["former"]
    return not is_function(rules, words, current["role"]) and is_function(rules, words, role.phrase)


def is_function(rules: RelationRules, words: RoleWords, phrase: str) -> bool:
    """A function (with its portfolio: `secrétaire d'état aux anciens combattants`), not a rank."""
    folded = fold(phrase)
    return folded in rules.functions or any(folded.startswith(f + " ") for f in words.portfolio_heads)


def anaphors_of(view: DocView, rules: RelationRules, words: RoleWords) -> list[dict]:
    """The title anaphors of the document (`le président ukrainien` for Zelensky): dicts with
    `person` (the antecedent's mention index), `name`, `token_start`, `token_end`, `sentence`."""
    return role_records(view, rules, words)["anaphors"]


def role_of_coordinated(view: DocView, index: int, found: dict) -> Role | None:
    """`les ministres de la Défense Manohar Parrikar et Jean-Yves Le Drian`: the second
    name shares the title of the first when the title is plural (a singular title is the
    first person's only: `le président X et Y`)."""
    m = view.mentions[index]
    if index == 0 or m["token_start"] < 1 or view.doc[m["token_start"] - 1].lower_ != "et":
        return None
    prev = view.mentions[index - 1]
    record = found.get(prev["norm"]["name"]) if prev["label"] == "PER" else None
    if record is None or prev["token_end"] != m["token_start"] - 1 or not record["plural"]:
        return None
    return Role(record["role"], m["token_start"], m["token_start"], record["former"], m["token_start"])


def match_role(view: DocView, rules: RelationRules, words: RoleWords, tokens: list[Token]) -> Role | None:
    """The longest function (else rank) spelled by the tokens, ignoring demonyms; a minister's
    portfolio that follows it is kept."""
    kept = [t for t in tokens if t.lower_ not in view.demonyms]
    spelled = [singular(t) for t in kept]
    phrases_at = [(i, j, role_phrase(tuple(spelled[i:j])))
                  for i in range(len(kept)) if may_start_role(spelled[i], rules.role_first_words)
                  for j in range(len(kept), i, -1)]
    for phrases in (rules.functions, rules.ranks):
        best = None
        for i, j, text in phrases_at:
            if text in phrases and (best is None or (j - i, j) > (best[2] - best[1], best[2])):
                best = (text, i, j)  # the longest, then the nearest to the name
        if best:
            text, i, j = best
            start, end = kept[i].i, kept[j - 1].i + 1
            phrase = rules.role_forms.get(text, text).lower()
            if text in words.portfolio_heads or text.startswith(tuple(h + " " for h in words.portfolio_heads)):
                extra, end = portfolio(view, words, tokens, end)
                phrase = f"{phrase} {extra}" if extra else phrase
            written = view.doc[start:end].text
            if "’" in written:
                phrase = phrase.replace("'", "’")
            plural = any(t.pos_ == "NOUN" and "Plur" in t.morph.get("Number") for t in kept[i:j])
            return Role(phrase, start, end, plural=plural)
    return None


def portfolio(view: DocView, words: RoleWords, tokens: list[Token], end: int) -> tuple[str, int]:
    """The portfolio words after a minister's title (`aux anciens combattants`, `chargé de la
    Transition numérique`), lower-cased, and where they end: prepositional groups of common
    words that name no entity, no nationality, no government."""
    doc = view.doc
    last = max((t.i for t in tokens), default=end - 1) + 1
    complement: list[str] = []
    k = end
    while k < last:
        t = doc[k]
        if t.lower_ in view.demonyms and not complement:
            k += 1  # "la secrétaire d'État française aux Anciens combattants"
            continue
        if t.lower_ in ("chargé", "chargée") and k + 1 < last and doc[k + 1].lower_ in words.portfolio_prepositions:
            group, k2 = [t.text, doc[k + 1].text], k + 2
        elif t.lower_ in words.portfolio_prepositions:
            group, k2 = [t.text], k + 1
        else:
            break
        if k2 < last and doc[k2].pos_ == "DET":
            group.append(doc[k2].text)
            k2 += 1
        content = 0
        while k2 < last and doc[k2].is_alpha and doc[k2].pos_ in ("NOUN", "ADJ", "PROPN") \
                and view.mention_at(doc[k2]) is None and doc[k2].lower_ not in view.demonyms \
                and doc[k2].lower_ not in words.not_portfolio:
            group.append(doc[k2].text)
            content += 1
            k2 += 1
        if not content:
            break
        complement.extend(group)
        k = k2
        end = k2
    text = " ".join(complement).lower().replace("' ", "'").replace("’ ", "’")
    return text, end


def singular(token: Token) -> str:
    """`ministres` -> `ministre`, `généraux` -> `général`: titles of several persons."""
    text = token.text
    if not text.endswith(("s", "x")):
        return text  # no plural ending to take off (the morphology is read only for those)
    if "Plur" in token.morph.get("Number") and text.islower() and token.pos_ in ("NOUN", "ADJ"):
        if text.endswith("aux"):
            return text[:-3] + "al"
        if text.endswith(("s", "x")):
            return text[:-1]
    return text


def is_former_after(view: DocView, words: RoleWords, end: int, limit: int) -> bool:
    """`le ministre des Armées de l'époque`: the words right after the title say it was then."""
    after = role_phrase(tuple(t.text for t in view.doc[end:min(limit, end + 4)]))
    return after.startswith(words.former_after)


def role_after(view: DocView, rules: RelationRules, words: RoleWords, index: int, consumed: set[int]) -> Role | None:
    """`Rajnath Singh, ministre de la Défense,`."""
    doc = view.doc
    end = view.mentions[index]["token_end"]
    if end >= len(doc) or doc[end].text != ",":
        return None
    tokens = []
    for t in doc[end + 1:min(len(doc), end + 16)]:
        if t.text in (",", ";", "(", ")", ".", "«", "»", ":") or view.label_at(t) == "PER" or t.is_sent_start \
                or (t.pos_ in ("VERB", "AUX") and t.lower_ not in words.title_participles):
            break  # "X, a indiqué le porte-parole Y": the title is Y's
        tokens.append(t)
    if not tokens or tokens[0].lower_ in ("et", "ou", "ni", "mais"):
        return None  # "Mark Esper, et le ministre délégué ...": the next person's title
    former = tokens[0].lower_ in words.former_words
    while tokens and tokens[0].lower_ in words.role_prefixes:
        tokens = tokens[1:]  # "alors ministre des Armées", "ancien chef du renseignement"
    found = match_role(view, rules, words, tokens)
    if found is None or (found.start != tokens[0].i and doc[found.start - 1].pos_ != "DET"):
        return None
    consumed.update(range(found.start, found.end))
    found.former = former or is_former_after(view, words, found.end, tokens[-1].i + 1)
    found.scope_end = tokens[-1].i + 1
    return found


def role_before(view: DocView, rules: RelationRules, words: RoleWords, index: int, consumed: set[int]) -> Role | None:
    """`le chef d'état-major indien Anil Chauhan`, `le général de brigade X Y`, `le directeur
    général de l'Institut (Inde), X`, `le chef d'état-major de la marine, l'amiral X`."""
    doc = view.doc
    start = view.mentions[index]["token_start"]
    if start and doc[start - 1].lower_ in ("de", "du", "d'", "d’", "des"):
        return None  # "les ministres du gouvernement de Macron": a complement, not a title
    sent_start = view.sentence_index.of(start).start
    tokens = []
    for t in reversed(list(doc[max(sent_start, start - 24):start])):
        if t.i in consumed or t.text in (";", "«", "»", ":") or view.label_at(t) == "PER" \
                or (t.pos_ in ("VERB", "AUX") and t.lower_ not in words.title_participles):
            break
        tokens.insert(0, t)
    # the appositions before the name, nearest first: each must be a title to reach further
    groups: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        depth += (t.text == "(") - (t.text == ")")
        if t.text == "," and depth <= 0:
            groups.append([])
        else:
            groups[-1].append(t)
    candidates: list[Role] = []
    for k, group in enumerate(reversed(groups)):
        if not group:
            if k == 0:
                continue  # "le ministre, Mariusz Blaszczak": the comma before the name
            break
        found = match_role(view, rules, words, group)
        if found is None or not title_reaches(view, found, group, adjacent=k == 0):
            break
        found.scope_end = group[-1].i + 1
        candidates.append(found)
    if not candidates:
        return None
    found = next((c for c in candidates if is_function(rules, words, c.phrase)), candidates[0])
    found.former = any(t.lower_ in words.former_words for t in doc[max(0, found.start - 2):found.start]) \
        or is_former_after(view, words, found.end, found.scope_end)
    return found


def title_reaches(view: DocView, found: Role, group: list[Token], adjacent: bool) -> bool:
    """The words between a title and the end of its group leave it the group's head: none, or
    nationality adjectives and qualifiers (`sortant`), or a complement (`de l'Institut`,
    `(Inde)`); not another phrase (`le général à Borna`)."""
    tail = [t for t in group if t.i >= found.end]
    if not tail:
        return True
    first = tail[0]
    if first.lower_ in ("de", "du", "des", "d'", "d’", "(", "chargé", "chargée"):
        return True
    return all(t.lower_ in view.demonyms or t.pos_ in ("ADJ", "DET") or t.is_punct for t in tail)


def role_country(view: DocView, role: Role, person: int, lookup: dict, dominant: str | None) -> str | None:
    """The country of a role: a demonym or party in its words and complement, else the
    person's lexicon country, else the one country of the sentence, else the document's."""
    doc = view.doc
    scope_end = max(role.end, role.scope_end or role.end)
    words = doc[max(0, role.start - 1):scope_end]
    iso = view.demonym_country(doc[max(0, role.start - 1):role.end + 2]) if role.end > role.start else None
    if iso:
        return iso
    for t in words:
        index = view.mention_at(t)
        if index is not None and index != person and view.is_party(index) and view.country_of(index):
            return view.country_of(index)
        iso = view.demonyms.get(t.lower_)
        if iso and not (index is not None and view.mentions[index]["label"] == "PER"):
            return iso
    iso = counterpart_country(view, role.start)
    if iso:
        return iso
    iso = person_country(view, person, lookup)
    if iso:
        return iso
    countries = sentence_countries(view, view.mentions[person]["sentence"])
    if len(countries) == 1:
        return next(iter(countries))
    return dominant


def counterpart_country(view: DocView, start: int) -> str | None:
    """`son homologue britannique, l'amiral X`: the nationality the apposition gives."""
    window = list(view.doc[max(0, start - 6):start])
    for k, t in enumerate(window):
        if t.lemma_.lower() == "homologue":
            return view.demonym_country(window[k + 1:])
    return None


def sentence_countries(view: DocView, s: int) -> set[str]:
    """The countries a sentence names: its parties (not media) and its demonyms."""
    found = {view.country_of(i) for i in view.in_sentence(s, ("LOC", "ORG")) if view.is_party(i)} - {None}
    found |= {iso for t in view.sents[s] if (iso := view.demonyms.get(t.lower_)) and view.mention_at(t) is None}
    return found


def dominant_country(view: DocView) -> str | None:
    """The country a document names most (parties and demonyms); on a tie, the one it names
    first (its lead: `Le Chili étudie l'achat à la Suède ...`)."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    named = [(m["token_start"], view.country_of(i)) for i, m in enumerate(view.mentions) if view.is_party(i)]
    for position, iso in sorted(named + view.demonym_tokens()):
        if iso:
            counts[iso] += 1
            first.setdefault(iso, position)
    if not counts:
        return None
    return max(counts, key=lambda iso: (counts[iso], -first[iso]))


# ---------------------------------------------------------------- title anaphors

def title_anaphors(view: DocView, rules: RelationRules, words: RoleWords, found: dict[str, dict],
                   lookup: dict) -> list[dict]:
    """Definite titles with no name (`le président ukrainien a reçu`, `a salué le président de
    la République`) and the person each stands for: among the last persons named before it (in
    its sentence and the two before), the nearest whose role agrees with the title (the same,
    or a periphrasis the title words properly), or who has no role and whose country is the
    title's."""
    doc = view.doc
    out = []
    for t in (doc[k] for k in view.positions_of(DEFINITE)):
        if t.i + 1 >= len(doc) or view.mention_at(doc[t.i + 1]) is not None:
            continue
        if not may_start_role(doc[t.i + 1].text, rules.role_first_words):
            continue
        sent = view.sentence_index.of(t.i)
        window = []
        for w in doc[t.i + 1:min(sent.end, t.i + 12)]:
            if (w.is_punct and w.text not in ("'", "’", "-")) or w.pos_ in ("VERB", "AUX") \
                    or view.mention_at(w) is not None:
                break
            window.append(w)
        role = match_role(view, rules, words, window)
        if role is None or role.start != t.i + 1 or not is_function(rules, words, role.phrase):
            continue
        if names_a_person(view, role.end, sent.end) or follows_a_person(view, t.i):
            continue
        country = view.demonym_country(doc[role.start:min(sent.end, role.end + 2)])
        after = doc[role.end:min(sent.end, role.end + 4)]
        complement = next((view.mention_at(w) for w in after if view.mention_at(w) is not None), None)
        if complement is not None and after[0].lower_ in ("de", "du", "des", "d'", "d’"):
            if view.mentions[complement]["label"] != "LOC" or not view.country_of(complement):
                continue  # "le président de la Commission": another institution's
            country = country or view.country_of(complement)
        s = view.sentence_index.number(t.i)
        person = antecedent(view, words, found, role, country, s, t.i, lookup)
        if person is None:
            continue
        out.append({"person": person, "name": view.norm(person)["name"], "role": role.phrase, "country": country,
                    "token_start": role.start, "token_end": role.end, "sentence": s})
    return out


def names_a_person(view: DocView, end: int, limit: int) -> bool:
    """A name right after the title, or after a comma (`le ministre, X`): an apposition."""
    for w in view.doc[end:min(limit, end + 4)]:
        if view.label_at(w) == "PER":
            return True
        if not (w.text == "," or w.lower_ in view.demonyms or w.pos_ == "ADJ"):
            return False
    return False


def follows_a_person(view: DocView, det: int) -> bool:
    """`Ben Wallace, le ministre britannique des Armées`: an apposition."""
    return det >= 2 and view.doc[det - 1].text == "," and view.label_at(view.doc[det - 2]) == "PER"


def antecedent(view: DocView, words: RoleWords, found: dict, role: Role, country: str | None, s: int, before: int,
               lookup: dict) -> int | None:
    seen: list[str] = []
    for i in reversed([i for k in range(max(0, s - ANAPHOR_SENTENCES), s + 1) for i in view.in_sentence(k, ("PER",))]):
        m = view.mentions[i]
        if m["token_end"] > before or m["norm"]["name"] in seen:
            continue
        seen.append(m["norm"]["name"])
        if len(seen) > ANAPHOR_CANDIDATES:
            return None
        record = found.get(m["norm"]["name"])
        own = person_country(view, i, lookup) or (record["country"] if record else None)
        if country and own and country != own:
            continue
        title = fold(role.phrase)
        if record is not None:
            current = fold(record["role"])
            if current == title or title in words.periphrases.get(current, ()):
                return i
            continue
        if country and own == country:
            return i
    return None
