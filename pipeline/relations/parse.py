"""Pure helpers on the dependency parse: clause heads, subjects, mood and tense.

They read tokens only (no mentions, no rules beyond what is passed in), so each relation
module can use them alike.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..normalize.names import fold

# A verb with no subject of its own takes the subject of the verb it hangs from by these.
SUBJECT_CLIMB_DEPS = {"xcomp", "conj", "advcl", "acl", "obj", "obl", "obl:arg", "obl:mod", "nmod"}
CONDITIONAL_ENDINGS = ("aient", "ions", "iez", "ais", "ait")
FUTURE_ENDINGS = ("ont", "ons", "ez", "ai", "as", "a")
PERSONAL_PRONOUNS = ("il", "elle", "ils", "elles")


def governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary above the token in the parse, if any."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def clause_predicate(token: Token) -> Token | None:
    """The nearest verb above the token, or noun predicate with its copula (`le Maroc est en
    pourparlers avec Israël pour l'acquisition de`), if any."""
    if any(c.dep_ == "cop" for c in token.children):
        return token  # the noun is the predicate: "l'Égypte est en possession de batteries S-300"
    return next((a for a in token.ancestors
                 if a.pos_ in ("VERB", "AUX") or any(c.dep_ == "cop" for c in a.children)), None)


def is_participle_modifier(token: Token) -> bool:
    """`des missiles destinés à ...`: a participle modifying a noun (not the verb of a relative
    clause with its own subject: `des drones qui lui ont donné un avantage`)."""
    return token.dep_.startswith("acl") and "Part" in token.morph.get("VerbForm") \
        and not any(c.dep_.startswith("nsubj") for c in token.children)


def clause_subject(trigger: Token) -> Token | None:
    """The subject token of the trigger's clause, climbing through the verbs it complements
    (`envisagent de commander`, `après avoir réceptionné`)."""
    verb = trigger
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subject is not None:
            return subject
        if verb.head.i == verb.i or verb.dep_ not in SUBJECT_CLIMB_DEPS:
            return None
        verb = verb.head
    return None


def subject_verbs(trigger: Token) -> list[Token]:
    """The trigger and the verbs above it whose subject it may take, nearest first."""
    verbs = [trigger]
    verb = trigger
    for _ in range(3):
        if verb.head.i == verb.i or verb.dep_ not in SUBJECT_CLIMB_DEPS:
            break
        verb = verb.head
        verbs.append(verb)
    return verbs


def nominal_subject(trigger: Token) -> Token | None:
    """The clause's subject when it is a noun phrase, not a pronoun: `l'entreprise turque`."""
    subject = clause_subject(trigger)
    return subject if subject is not None and subject.pos_ in ("NOUN", "PROPN") else None


def has_pronoun_subject(trigger: Token) -> bool:
    """The clause has a personal pronoun for subject (`il`, `elle`, `ils`)."""
    subject = clause_subject(trigger)
    return subject is not None and subject.lower_ in PERSONAL_PRONOUNS


def clause_head(token: Token) -> Token:
    """The verb (or sentence root) whose clause the token belongs to."""
    while token.head.i != token.i and token.pos_ not in ("VERB",):
        token = token.head
    return token


def nominal_predicates(token: Token) -> list[Token]:
    """The nouns with a copula between a token and its clause head (`la commande de chars
    n'est plus d'actualité`: `actualité`), whose negation is the clause's."""
    found = []
    while token.head.i != token.i and token.pos_ != "VERB":
        token = token.head
        if any(c.dep_ == "cop" for c in token.children):
            found.append(token)
    return found


def is_negated(head: Token, negators: frozenset) -> bool:
    """A clause head with `ne` and a negative word (`n'a jamais commandé`, `n'est plus
    d'actualité`); `ne ... que` (only) is no negation."""
    children = [*head.children, *(g for c in head.children if c.dep_ in ("aux", "aux:tense", "cop")
                                  for g in c.children)]
    return any(c.lower_ in ("ne", "n'", "n’") for c in children) and any(c.lower_ in negators for c in children)


def has_determiner(noun: Token, forms) -> bool:
    """The noun has one of these determiners (lower-case forms)."""
    return any(c.dep_ == "det" and c.lower_ in forms for c in noun.children)


def governed_by(token: Token, lemmas: frozenset, depth: int = 3, through_verb_conj: bool = True) -> bool:
    """One of the `depth` tokens above this one in the parse has one of the lemmas (not
    climbing from a verb coordinated to another, unless `through_verb_conj`)."""
    head = token
    for _ in range(depth):
        if head.head.i == head.i or not through_verb_conj and head.dep_ == "conj" and head.pos_ == "VERB":
            return False
        head = head.head
        if head.lemma_.lower() in lemmas:
            return True
    return False


def mood_tense(verb: Token, future_stems: frozenset) -> tuple[str | None, str | None]:
    """Mood and tense of the verb group (`aurait acheté`: Cnd, Past; `vendrait`: Cnd, Pres)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "aux:tense", "aux:pass")]
    for aux in auxes:
        mood, tense = finite_form(aux, future_stems)
        if mood == "Cnd":
            return "Cnd", "Past"
        if tense == "Fut":
            return None, "Fut"
    if auxes:
        return None, "Past"
    return finite_form(verb, future_stems)


def finite_form(verb: Token, future_stems: frozenset) -> tuple[str | None, str | None]:
    """(mood, tense) of one verb form, from its endings on the future stem, else the model
    (whose morphology often misses them: `fourniraient` tagged present)."""
    text, lemma = fold(verb.text), fold(verb.lemma_)
    for endings, result in (CONDITIONAL_ENDINGS, ("Cnd", "Pres")), (FUTURE_ENDINGS, (None, "Fut")):
        for ending in endings:
            stem = text[:-len(ending)]
            if text.endswith(ending) and stem.endswith("r") and (
                    stem in (lemma, lemma[:-1]) or stem in future_stems):
                return result
    mood, tense = verb.morph.get("Mood"), verb.morph.get("Tense")
    return (mood[0] if mood else None), (tense[0] if tense else None)


def is_finite_clause_start(token: Token) -> bool:
    """A token that opens another clause: a finite or infinitive verb, a finite auxiliary,
    or a semicolon or colon."""
    forms = token.morph.get("VerbForm")
    return (token.pos_ == "VERB" and ("Inf" in forms or "Fin" in forms)) or \
        (token.pos_ == "AUX" and "Fin" in forms) or token.text in (";", ":")


def is_finite_verb_read_as_modifier(verb: Token) -> bool:
    """A finite verb the parse hangs as a modifier on the noun before it, with no subject of
    its own (`L'Égypte négocie avec la Chine l'achat de`: `négocie` read as a clause on
    `Égypte`): that noun is its subject."""
    return verb.dep_ == "acl" and verb.head.i < verb.i and is_finite_form(verb) \
        and not any(c.dep_.startswith("nsubj") for c in verb.children)


PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues", "it", "ite", "its",
                      "ites", "ert", "erte", "erts", "ertes", "ant")


def is_finite_form(verb: Token) -> bool:
    """A finite verb by its form (the model's morphology often tags `négocie` an infinitive):
    neither the infinitive (its lemma) nor a participle of it."""
    return "Fin" in verb.morph.get("VerbForm") or (
        verb.lower_ != verb.lemma_.lower() and not is_participle_form(verb.lower_, verb.lemma_.lower()))


def is_participle_form(form: str, lemma: str) -> bool:
    """`négocié(e)(s)` of négocier, `fourni(e)(s)` of fournir (not `négocie`, `fournit`); for
    other verbs, a participle ending."""
    if lemma.endswith("er"):
        return form.startswith(lemma[:-2] + "é")
    if lemma.endswith("ir"):
        return form in {lemma[:-2] + ending for ending in ("i", "ie", "is", "ies")}
    return form.endswith(PARTICIPLE_ENDINGS)


def verb_before(infinitive: Token) -> Token | None:
    """The verb right before an infinitive (adverbs, `de`, `à` between), whatever the parse
    made of them (`Varsovie compte acquérir`, read as a noun phrase)."""
    k = infinitive.i - 1
    while k >= 0 and (infinitive.doc[k].pos_ == "ADV" or infinitive.doc[k].lower_ in ("de", "d'", "d’", "à")):
        k -= 1
    before = infinitive.doc[k] if k >= 0 else None
    return before if before is not None and before.pos_ in ("VERB", "AUX") and before.i >= infinitive.sent.start \
        and before.lemma_.lower() not in ("être", "avoir") else None
