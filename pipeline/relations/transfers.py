"""Arms-transfer statements, sentence by sentence: a trigger and its weapon, the sides, the
stage, the quantity, the value and the date a sentence gives.

For each WEAPON mention, the trigger is the nearest ancestor in the parse whose lemma is a
transfer verb or noun, climbing only through nouns, adpositions and participial modifiers (so
`destiné à contrer ... des hélicoptères` does not make the helicopters part of the deal);
failing that, the nearest trigger before the weapon with no other clause in between. The
sides come from the trigger's subject (or the subject of the verb it complements, or the
passive agent) and from the LOC/ORG after `à`/`au`/`vers`/`auprès de`; the stage from the
trigger, its mood and tense, and cues. What a sentence leaves open (a side, the value, the
date) is filled at the document level (`frames.py`).
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..normalize.numbers import parse_number
from .coreference import topic_weapon
from .parse import (clause_head, clause_predicate, clause_subject, governed_by, governing_verb, has_determiner,
                    has_pronoun_subject, is_negated,
                    is_finite_clause_start, is_finite_verb_read_as_modifier, is_participle_modifier, mood_tense,
                    nominal_predicates, nominal_subject, subject_verbs, verb_before)
from .rules import RelationRules, Trigger
from .view import DocView

PARTY_LABELS_OF_STATES = ("LOC", "ORG")

# Dependencies the climb from a weapon to its trigger may follow (not `punct`, `root`...).
CLIMB_DEPS = {"obj", "nmod", "obl", "obl:arg", "obl:mod", "obl:agent", "appos", "conj", "nsubj:pass",
              "flat:name", "flat:foreign", "compound", "amod", "acl", "acl:relcl", "dep", "fixed", "iobj"}


# Determiners of a noun that points to what the text has spoken of (`le contrat`, `ce pays`).
SINGULAR_DEFINITE_OR_DEMONSTRATIVE = frozenset({"le", "la", "l'", "l’", "ce", "cet", "cette"})
DEFINITE_OR_DEMONSTRATIVE = SINGULAR_DEFINITE_OR_DEMONSTRATIVE | {"les", "ces"}
POSSESSIVE = frozenset({"son", "sa", "ses", "leur", "leurs"})  # "a donné son accord à": an approval
EN = frozenset({"en"})  # the pronoun `en` (and the preposition: told apart by the parse)
RELATIVE_PRONOUNS = ("qui", "lequel", "laquelle", "lesquels", "lesquelles")
# A transfer noun takes the subject of its verb as a side only this close to it in the parse
# ("a signé un contrat pour l'achat de": achat -> contrat -> signé).
NOUN_VERB_DISTANCE = 3


def sentence_transfers(view: DocView, rules: RelationRules, s: int) -> list[dict]:
    """The transfer statements of sentence `s` (a side the sentence does not give is left
    open: `frames.py` fills it from the deal it belongs to)."""
    sent = view.sents[s]
    weapons = view.in_sentence(s, ("WEAPON",))
    found = [r for r in (transfer_for(view, rules, s, w) for w in weapons) if r]
    found = name_generic_transfers(view, rules, found, weapons)
    for w, span in anaphors(view, rules, s, sent, weapons, {r["args"]["weapon"] for r in found}):
        statement = transfer_for(view, rules, s, w, span)
        if statement is not None:
            statement["_refers_to"] = view.mentions[w]["sentence"]  # the batch stated there
            found.append(statement)
    for w, span in coordinated_batches(view, rules, s):
        statement = transfer_for(view, rules, s, w, span)
        if statement is not None:
            own_date = next((i for i in view.calendar_dates(s) if span.root in view.span_of(i).root.ancestors), None)
            if own_date is not None:  # "puis six exemplaires supplémentaires en mars 2022"
                statement["args"]["date"] = own_date
                statement["_dates"] = {view.norm(own_date)["value"]}
            found.append(statement)
    for w, clitic in clitic_anaphors(view, rules, sent):
        statement = transfer_for(view, rules, s, w, view.doc[clitic.i:clitic.i + 1], trigger=clitic.head)
        if statement is not None:
            statement["attrs"]["quantity"] = count_after(clitic.head)
            found.append(statement)
    return drop_generic_restatements(view, found)


def clitic_anaphors(view: DocView, rules: RelationRules, sent: Span) -> list[tuple[int, Token]]:
    """`la Serbie qui en aligne 14`, `Moscou en a déjà livré huit`: the pronoun `en` of a
    transfer verb whose clause names no weapon stands for the system named last before it."""
    found = []
    if not view.has_word(sent, EN):
        return found
    for token in view.with_form(EN, sent):
        verb = token.head
        if token.pos_ != "PRON" or verb.i == token.i or verb.pos_ != "VERB" \
                or (rule := trigger_rule(rules, verb)) is None or rule.kind != "verb" \
                or any(view.label_at(t) == "WEAPON" for t in verb.subtree):
            continue
        antecedent = next((i for i in reversed(range(len(view.mentions)))
                           if view.mentions[i]["label"] == "WEAPON" and view.mentions[i]["token_start"] < token.i
                           and view.norm(i).get("name") and not view.is_generic(i)), None)
        if antecedent is not None:
            found.append((antecedent, token))
    return found


def coordinated_batches(view: DocView, rules: RelationRules, s: int) -> list[tuple[int, Span]]:
    """`a commandé 18 Rafale en 2021, puis six exemplaires supplémentaires en 2022`: a counted
    generic noun coordinated after a named system of its sentence is another batch of it."""
    sent = view.sents[s]
    if not view.has_word(sent, rules["anaphoric_nouns"]):
        return []
    named = [i for i in view.in_sentence(s, ("WEAPON",)) if view.norm(i).get("name")]
    found = []
    for t in view.with_form(rules["anaphoric_nouns"], sent):
        if t.dep_ == "conj" and view.mention_at(t) is None \
                and any(c.dep_ == "nummod" for c in t.children):
            before = [i for i in named if view.mentions[i]["token_start"] < t.i]
            if before:
                found.append((before[-1], view.doc[t.i:t.i + 1]))
    return found


def count_after(verb: Token) -> int | None:
    """The number right after a verb (`en aligne 30`, `en a livré huit`), if any."""
    for t in verb.doc[verb.i + 1:min(len(verb.doc), verb.i + 3)]:
        value = None if t.is_punct else parse_number(t.text)
        if value is not None:  # "vingt-quatre" is often tagged as a pronoun
            return int(value) if float(value).is_integer() and 0 < value < 100000 else None
    return None


def name_generic_transfers(view: DocView, rules: RelationRules, found: list[dict], weapons: list[int]) -> list[dict]:
    """`acheter des drones turcs : 24 Bayraktar TB2`: a transfer of a generic noun takes
    the named system of the same category that follows it in the sentence and has no
    transfer of its own, else the one named before it."""
    with_transfer = {r["args"]["weapon"] for r in found}
    for rel in found:
        generic = view.mentions[rel["args"]["weapon"]]
        if not view.is_generic(rel["args"]["weapon"]):
            continue
        same_kind = [w for w in weapons if view.norm(w).get("name") and view.same_kind(w, rel["args"]["weapon"])]
        named = next((w for w in same_kind if w not in with_transfer
                      and view.mentions[w]["token_start"] > generic["token_end"]), None)
        if named is None:  # "un contrat pour le KC-390, un contrat de six avions pour la Hongrie"
            named = next((w for w in reversed(same_kind) if view.mentions[w]["token_end"] <= generic["token_start"]), None)
        if named is not None:
            rel["args"]["weapon"] = named
            rel["weapon_key"] = view.norm(named)["name"]
            rel["attrs"]["quantity"] = rel["attrs"]["quantity"] or quantity(view, rules, view.span_of(named))
            rel["attrs"]["supplier_country"] = rel["attrs"]["supplier_country"] or view.norm(named).get("country")
            with_transfer.add(named)
    return found


def anaphors(view: DocView, rules: RelationRules, s: int, sent: Span, weapons: list[int],
             with_transfer: set[int]) -> list[tuple[int, Span]]:
    """`Rabat a commandé 24 appareils à Boeing`, `les premiers exemplaires ont été livrés`,
    `ces appareils`, `quelques exemplaires`: a counted, first or last, or demonstrative generic noun before any weapon
    its sentence names stands for the last system named in the two sentences before; after a
    named system of its sentence that states no transfer of its own (`Désignés FA-50PH, les
    douze appareils ont été commandés en 2014`), for that system; further away, with a word of
    another batch (`cinq régiments supplémentaires`), for the document's system."""
    if not view.has_word(sent, rules["anaphoric_nouns"]):
        return []
    first_weapon = min((view.mentions[i]["token_start"] for i in weapons), default=sent.end)
    earlier = next((i for k in (s - 1, s - 2) if k >= 0
                    for i in reversed(view.in_sentence(k, ("WEAPON",)))
                    if view.norm(i).get("name")), None)
    found = []
    for t in view.with_form(rules["anaphoric_nouns"], sent):
        if view.mention_at(t) is not None \
                or any(view.label_at(x) == "WEAPON" for x in (*t.subtree, t.head, view.doc[min(t.i + 1, len(view.doc) - 1)])) \
                or not any(c.dep_ == "nummod" or c.like_num or c.lemma_.lower() in ("premier", "dernier", "quelque", "plusieurs")
                           or c.lower_ in rules["demonstrative_determiners"] for c in t.children):
            continue
        before = [i for i in weapons if view.mentions[i]["token_end"] <= t.i and view.norm(i).get("name")]
        if earlier is None and t.i < first_weapon and any(c.lower_ in rules["additional_words"] for c in t.children):
            earlier = topic_weapon(view, sent.start)  # "l'achat de cinq régiments supplémentaires": the document's system
        antecedent = earlier if t.i < first_weapon else (
            before[-1] if before and before[-1] not in with_transfer and t.dep_ != "conj" else None)
        if antecedent is not None:
            found.append((antecedent, view.doc[t.i:t.i + 1]))
    return found


def is_competitor(view: DocView, rules: RelationRules, weapon: Span) -> bool:
    """`devant le Rafale`, `face au F/A-18`, `préféré ... au Rafale`: a system compared with, not bought; and one
    coordinated with it (`devant le Rafale de Dassault et l'Eurofighter d'Airbus`)."""
    before = " ".join(t.lower_ for t in view.doc[max(0, weapon.start - 4):weapon.start])
    if rules.competitor_regex.search(before) is not None:
        return True
    root = weapon.root
    if any(c.dep_ == "case" and c.lower_ in ("à", "au", "aux") for c in root.children) and any(
            a.lemma_.lower() in rules["preference_verbs"] for a in list(root.ancestors)[:2]):
        return True  # "a préféré le F-35 au Rafale" (attached to the verb or to the winner)
    first = view.mention_at(root.head) if root.dep_ == "conj" else None
    if first is None or view.mentions[first]["label"] != "WEAPON":
        return False
    first_span = view.span_of(first)
    return first_span.start < weapon.start and is_competitor(view, rules, first_span)


def sentence_says(view: DocView, sent: Span, cue: str, test) -> bool:
    """`test` (a search of the rules' phrases) on the sentence's text, run once per sentence
    and cue: a sentence is asked once for each weapon it names."""
    key = (cue, sent.start)
    found = view.sentence_cues.get(key)
    if found is None:
        found = view.sentence_cues[key] = test(view.sentence_index.text_of(sent))
    return found


def trigger_rule(rules: RelationRules, token: Token) -> Trigger | None:
    """The trigger rule of a token, if it is one (with its preposition, where the rule asks)."""
    rule = rules.trigger(token.lemma_.lower(), token.pos_, token.lower_)
    if rule is not None and rule.case is not None and not any(
            c.dep_ == "case" and c.lower_ == rule.case for c in token.children):
        return None
    return rule


def possible_triggers(view: DocView, rules: RelationRules, start: int, end: int) -> list[Token]:
    """The tokens in [start, end) whose lemma or form may make them a trigger (`trigger_rule`
    says which are): the scans for a trigger visit these, not every token."""
    return view.with_word(rules.trigger_lemmas, rules["equipped_participles"], start, end)


def trigger_for(view: DocView, rules: RelationRules, sent: Span, weapon: Span) -> Token | None:
    """The transfer verb or noun that governs the weapon, if any.

    Climbs the parse from the weapon through nouns, adpositions and participial
    modifiers; failing that, takes the nearest trigger before the weapon. Either way no
    other clause (an infinitive or finite verb off the path) may stand between them:
    `fourniraient un système destiné à contrer des hélicoptères` is no helicopter sale.
    """
    path = [weapon.root]
    token = weapon.root
    trigger = None
    while token.head.i != token.i and (token.dep_ in CLIMB_DEPS or is_theme_subject(rules, token)):
        head = token.head
        if trigger_rule(rules, head) and not describes_weapon(view, rules, head):
            trigger = head
            break
        if head.pos_ in ("VERB", "AUX") and not is_participle_modifier(head):
            trigger = deal_subject(rules, head)  # "le contrat porte sur 180 K2"
            if trigger is not None:
                path.append(head)
            break
        path.append(head)
        token = head
    if trigger is None:  # "trois batteries de missiles BrahMos destinées aux Philippines"
        trigger = next((child for noun in path for child in noun.children
                        if is_participle_modifier(child) and child.i > weapon.start
                        and trigger_rule(rules, child)), None)
    if trigger is None:
        trigger = next((t for t in reversed(possible_triggers(view, rules, sent.start, weapon.start))
                        if trigger_rule(rules, t) and not describes_weapon(view, rules, t)), None)
    if trigger is None or trigger.i > weapon.start:
        return trigger
    on_path = {t.i for t in path}
    if any(t.i not in on_path and is_finite_clause_start(t) for t in view.doc[trigger.i + 1:weapon.start]):
        return None
    return trigger


def describes_weapon(view: DocView, rules: RelationRules, token: Token) -> bool:
    """`des drones armés`: an equipped participle right after a weapon noun describes it."""
    rule = trigger_rule(rules, token)
    previous = token.nbor(-1) if token.i > 0 else None
    return rule is not None and rule.kind == "equipped" and previous is not None and (
        view.label_at(previous) == "WEAPON" or previous.lower_ in rules["anaphoric_nouns"])


def is_theme_subject(rules: RelationRules, token: Token) -> bool:
    """The subject of a trigger whose subject is the equipment (`le premier lot de blindés est
    arrivé en Roumanie`, `des TB2 sont en service dans l'armée nigériane`)."""
    rule = trigger_rule(rules, token.head) if token.dep_ == "nsubj" else None
    return rule is not None and rule.subject == "theme"


def deal_subject(rules: RelationRules, verb: Token) -> Token | None:
    """The transfer noun subject of a verb that says what a deal covers, if any."""
    if verb.lemma_.lower() not in rules["content_verbs"]:
        return None
    return next((child for child in verb.children if child.dep_ == "nsubj"
                 and (rule := trigger_rule(rules, child)) is not None and rule.kind == "noun"), None)


def transfer_for(view: DocView, rules: RelationRules, s: int, w: int, wspan: Span | None = None,
                 trigger: Token | None = None) -> dict | None:
    """The transfer statement of weapon mention `w` (stated at `wspan`, by default the
    mention itself; governed by `trigger`, by default the one found for it), or None when
    no transfer governs it."""
    sent = view.sents[s]
    wspan = wspan if wspan is not None else view.span_of(w)
    trigger = trigger if trigger is not None else trigger_for(view, rules, sent, wspan)
    if trigger is None or is_competitor(view, rules, wspan):
        return None
    rule = trigger_rule(rules, trigger)
    if rule.kind == "equipped" and view.label_at(trigger.head) == "WEAPON":
        return None  # a capability: "des F-16 armés de missiles AIM-120"
    if sentence_says(view, sent, "speculative", lambda text: rules.speculative_regex.search(text) is not None):
        return None  # "il n'est pas exclu que Rabat commande des F-35"
    heads = [trigger] if rule.kind == "verb" else [clause_head(trigger), *nominal_predicates(trigger)]
    if any(is_negated(head, rules["negation_words"]) for head in heads):
        return None  # "la Pologne n'a jamais commandé de K2", "cette commande n'est plus d'actualité"
    supplier, recipient = sides(view, rules, sent, trigger, wspan, rule)
    supplier, recipient = sides_from_modifiers(view, rules, trigger, wspan, supplier, recipient)
    supplier, recipient = bilateral_sides(view, supplier, recipient, w)
    supplier, recipient = relative_clause_sides(view, rules, trigger, rule, supplier, recipient)
    supplier, recipient = origin_supplies(view, rule, supplier, recipient, w)
    if supplier is None and recipient is None and rule.kind == "verb" and is_participle_modifier(trigger):
        return None  # "le Gripen, qui compte 270 appareils vendus": a count, no deal stated
    if supplier is not None and supplier == recipient:
        return None
    if recipient is not None and view.is_company(recipient) and not buying_company(view, trigger, recipient, w):
        # "Embraer a signé un contrat de neuf C-390 pour les Pays-Bas": the maker, not the
        # buyer, signs; the buyer is the party the deal is for
        maker = recipient
        recipient = view.party_after_preposition(sent, trigger, rules["recipient_prepositions"]) \
            or partner_of_maker(view, trigger, maker)
        supplier = maker if supplier is None and is_subject_of_deal(trigger, view.span_of(maker)) else supplier
    subject_np = nominal_subject(trigger)
    origin = view.norm(w).get("country")
    demonym = view.first_demonym(view.doc[wspan.end:min(wspan.end + 3, sent.end)])
    after = demonym[1] if demonym else None
    recipient_country = view.country_of(recipient) or subject_side_country(view, rule, subject_np, "recipient")
    if recipient is None and recipient_country is None and rule.subject == "recipient" and has_pronoun_subject(trigger):
        recipient = previous_subject(view, s)  # "Elle a aussi commandé 250 chars Abrams"
        recipient_country = view.country_of(recipient)
    speaker = speaker_country(view, rules, trigger if rule.kind == "verb" else governing_verb(trigger))
    if recipient_country is None and recipient is None and rule.subject == "recipient":
        recipient_country = speaker  # "« Nous avons commandé 24 Caesar », a déclaré le ministre lituanien"
    # `les premiers Rafale indonésiens` (no buyer named): a demonym that is not the system's
    # origin names its owner; a compound one (`des NASAMS américano-norvégiens`) its makers;
    # with a buyer named (`l'acquisition de F-16 danois`), the seller
    owner = after if recipient_country is None and demonym is not None and "-" not in demonym[0].text \
        and rule.kind != "equipped" and origin not in (None, after) else None
    said_supplier = subject_side_country(view, rule, subject_np, "supplier")
    said_supplier = said_supplier or (speaker if rule.subject == "supplier" and supplier is None else None)
    supplier_country = view.country_of(supplier) or (said_supplier if said_supplier != owner else None) \
        or (after if owner is None and after != recipient_country else None) \
        or view.demonym_country(view.doc[min(trigger.i + 1, wspan.start):wspan.start]) \
        or origin
    if supplier is None and recipient is None:  # "Les deux pays prévoient la livraison de 26 Rafale"
        supplier_country, recipient_country = pair_sides(view, rules, s, subject_np, origin) \
            or (supplier_country, recipient_country)
    if supplier_country is None:  # a system of no known origin: "la frégate X, construite par le sud-coréen HD Hyundai"
        supplier_country = maker_country(view, rules, wspan)
    if recipient_country is None and owner is not None and (supplier is None or view.country_of(supplier) != owner):
        recipient_country = owner
    if supplier is not None and recipient_country is not None and view.country_of(supplier) == recipient_country \
            and origin not in (None, recipient_country):
        # a party of the buyer's side read as the seller ("l'achat de sous-marins
        # Scorpène par un chantier indien pour sa marine"): the origin
        supplier, supplier_country = None, origin
    stage = status(view, rules, sent, trigger, rule)
    args = {"weapon": w}
    if supplier is not None:
        args["supplier"] = supplier
    if recipient is not None:
        args["recipient"] = recipient
    value, value_sentence = value_for(view, rules, s, wspan, trigger)
    if value is not None:
        args["value"] = value
    date = date_for(view, rules, s, trigger, stage)
    if date is None and stage == "ordered" and value_sentence is not None and names_the_deal(view, rules, value_sentence):
        date = next(iter(view.calendar_dates(value_sentence)), None)  # "Signé le 12 mars, ce contrat ..."
    if date is not None:
        args["date"] = date
    last = value_sentence if value_sentence is not None else s
    return {"type": "arms_transfer", "args": args,
            "_dates": {view.norm(date)["value"]} if date is not None else set(),
            "weapon_key": view.norm(w).get("name") or view.norm(w).get("category"), "trigger": trigger.i,
            "_origin_supplier": supplier is None and supplier_country is not None and supplier_country == origin,
            "_part_of_deal": covered_by_stated_deal(rules, trigger),
            "_batch": batch_marks(view, rules, wspan),
            "attrs": {"supplier_country": supplier_country, "recipient_country": recipient_country,
                      "quantity": quantity(view, rules, wspan), "status": stage},
            "evidence": view.evidence(s, last)}


def sides_from_modifiers(view: DocView, rules: RelationRules, trigger: Token, weapon: Span,
                         supplier: int | None, recipient: int | None) -> tuple[int | None, int | None]:
    """`Les 24 Rafale commandés par le Qatar ont été livrés`: a side the trigger's clause does
    not give, from a participle on the weapon with its agent."""
    for child in (c for holder in weapon_phrase_heads(weapon) for c in holder.children):
        rule = trigger_rule(rules, child) if child.i != trigger.i and is_participle_modifier(child) else None
        agent = agent_of(view, child) if rule is not None and rule.kind == "verb" else None
        if agent is None:
            continue
        if rule.subject == "recipient" and recipient is None:
            recipient = agent
        elif rule.subject == "supplier" and supplier is None:
            supplier = agent
    return supplier, recipient


def bilateral_sides(view: DocView, supplier: int | None, recipient: int | None, w: int):
    """`Le Vietnam et la Russie signent un contrat de livraison de Su-30`: of two coordinated
    parties on one side, the one of the system's origin supplies, the other receives."""
    origin = view.norm(w).get("country")
    side = supplier if supplier is not None else recipient
    if side is None or origin is None or (supplier is not None and recipient is not None):
        return supplier, recipient
    partners = coordinated_parties(view, side)
    if len(partners) != 1:
        return supplier, recipient
    pair = [side, partners[0]]
    makers = [i for i in pair if view.country_of(i) == origin]
    if len(makers) != 1:
        return supplier, recipient
    other = pair[1 - pair.index(makers[0])]
    return makers[0], other


def origin_supplies(view: DocView, rule: Trigger, supplier: int | None, recipient: int | None, w: int):
    """`La Corée du Sud a signé un contrat pour 48 K9 avec la Pologne`: a deal noun says no
    direction by itself; when its subject is the system's country and the partner is not, the
    subject sells. A verb read the other way round (`Delhi a importé des radars Swathi à
    Erevan`, for exported) is read so too: a state does not buy its own system from another."""
    origin = view.norm(w).get("country")
    if rule.kind != "equipped" and supplier is not None and recipient is not None and origin is not None \
            and view.country_of(recipient) == origin and view.country_of(supplier) not in (None, origin):
        return recipient, supplier
    return supplier, recipient


def buying_company(view: DocView, trigger: Token, company: int, w: int) -> bool:
    """A company is the buyer only as the subject of the deal's clause, when it neither makes
    the system nor comes from its country (`le chantier indien MDL a entamé des négociations
    pour l'acquisition de sous-marins Scorpène`); with a generic noun (`un contrat de neuf
    avions`), the company that signs is the seller."""
    subject = clause_subject(governing_verb(trigger) if trigger.pos_ == "NOUN" and governing_verb(trigger) else trigger)
    return subject is not None and view.mentions[company]["token_start"] in {t.i for t in subject.subtree} \
        and view.norm(w).get("country") is not None \
        and view.norm(company).get("name") != view.norm(w).get("manufacturer") \
        and view.country_of(company) not in (None, view.norm(w).get("country"))


def weapon_phrase_heads(weapon: Span) -> list[Token]:
    """The weapon's root, and the equipment noun it names when it hangs from one (`des chars
    Leopard 1 promis par`, `deux frégates FREMM construites en`): what modifiers of the
    weapon's phrase attach to."""
    root = weapon.root
    return [root, root.head] if root.dep_ in ("nmod", "appos", "flat:name") and root.head.i != root.i else [root]


def maker_country(view: DocView, rules: RelationRules, weapon: Span) -> str | None:
    """The country a participle of making on the weapon gives (`construite par le sud-coréen
    HD Hyundai`, `construites en Italie`, `fabriqués par Airbus`)."""
    clause = clause_head(weapon.root)  # "la frégate X, construite par ...", read as a clause modifier
    candidates = [c for h in weapon_phrase_heads(weapon) for c in h.children] \
        + [c for c in clause.children if c.dep_ == "advcl"]
    for child in candidates:
        if child.pos_ != "VERB" or child.lemma_.lower() not in rules["maker_participles"] \
                or any(c.dep_.startswith("nsubj") for c in child.children):
            continue
        for phrase in (p for p in child.children if p.dep_.startswith("obl")):
            party = view.party_in_subtree(phrase)
            country = (view.country_of(party) if party is not None else None) or view.demonym_country(phrase.subtree)
            if country is not None:
                return country
    return None


def destination_of(view: DocView, rules: RelationRules, sent: Span, weapon: Span) -> int | None:
    """The party a recipient preposition names in the weapon's own phrase (`des missiles Mistral
    3 à destination de Chypre`)."""
    party = view.party_after_preposition(sent, weapon.root, rules["recipient_prepositions"])
    own = {t.i for t in weapon.root.subtree}
    return party if party is not None and view.mentions[party]["token_start"] in own else None


def relative_clause_sides(view: DocView, rules: RelationRules, trigger: Token, rule: Trigger,
                          supplier: int | None, recipient: int | None) -> tuple[int | None, int | None]:
    """`Le Qatar a choisi la France, à qui il a commandé 24 Rafale`: a trigger verb in a
    relative clause on a party, introduced by an indirect relative pronoun, has that party on
    the side its subject is not; a pronoun subject of the clause is the main clause's subject."""
    antecedent = view.mention_at(trigger.head) if trigger.dep_ == "acl:relcl" and rule.kind == "verb" else None
    if antecedent is None or not view.is_party(antecedent) or rule.subject not in ("supplier", "recipient") \
            or not any(t.lower_ in rules["relative_pronouns"] and t.dep_ != "nsubj"
                       for t in view.doc[trigger.head.i + 1:trigger.i]):
        return supplier, recipient
    subject = None
    if has_pronoun_subject(trigger):
        main = clause_subject(clause_head(trigger.head))
        subject = view.party_in_subtree(main) if main is not None else None
    # the antecedent read as the clause's subject (as for `qui a vendu`) is on the other side
    supplier = None if supplier == antecedent else supplier
    recipient = None if recipient == antecedent else recipient
    if rule.subject == "recipient":
        return supplier if supplier is not None else antecedent, recipient if recipient is not None else subject
    return supplier if supplier is not None else subject, recipient if recipient is not None else antecedent


def partner_of_maker(view: DocView, trigger: Token, maker: int) -> int | None:
    """`Saab a conclu avec la Thaïlande un contrat portant sur quatre Gripen`, `Airbus a signé
    un contrat pour six H145M avec la Bolivie`: the party `avec` introduces on the deal noun
    or its verb, when a maker signs, is the buyer."""
    verb = governing_verb(trigger) if trigger.pos_ == "NOUN" else trigger
    heads = {trigger.i} | ({verb.i} if verb is not None else set())
    for token in trigger.sent:
        if token.lower_ == "avec" and token.dep_ == "case" and token.head.head.i in heads:
            party = view.party_in_subtree(token.head)
            if party is not None and party != maker and not view.is_company(party):
                return party
    return None


def is_subject_of_deal(trigger: Token, party: Span) -> bool:
    """Whether a party is the subject of the trigger's clause (of its verb, for a noun)."""
    verb = governing_verb(trigger) if trigger.pos_ == "NOUN" else trigger
    subject = clause_subject(verb) if verb is not None else None
    return subject is not None and party.start in {t.i for t in subject.subtree}


def subject_side_country(view: DocView, rule: Trigger, subject_np: Token | None, side: str) -> str | None:
    """The country of a subject named by a demonym (`l'entreprise turque a offert`, `le
    gouvernement polonais a commandé`), when the trigger's subject is that side."""
    if rule.kind != "verb" or rule.subject != side or subject_np is None:
        return None
    return view.demonym_country(subject_np.subtree)


def sides(view: DocView, rules: RelationRules, sent: Span, trigger: Token, weapon: Span, rule: Trigger):
    """(supplier, recipient) mention indices for a trigger."""
    supplier = recipient = None
    verb = clause_predicate(trigger) if rule.kind == "noun" else None  # the verb of a deal noun
    if rule.kind == "verb":
        subject = agent_of(view, trigger)
        if subject is None and not is_participle_modifier(trigger):  # "680 avions commandés": passive
            subject = subject_of(view, rules, trigger)
            if subject is None and nominal_subject(trigger) is None:
                subject = view.party_before(sent, trigger)
    elif rule.kind == "noun" and trigger.dep_ == "nsubj:pass":
        # the passive agent signs the deal noun: "le contrat pour 12 Rafale a été signé par la Serbie"
        subject = agent_of(view, trigger.head)
    elif rule.kind == "noun" and not trigger.dep_.startswith("nsubj"):
        # the subject of the verb the noun is the object of ("l'Inde a signé la commande"),
        # not of a verb further up ("le Chili reverra ses plans ... une fois les pourparlers
        # sur la vente rompus")
        near = verb is not None and (verb.i == trigger.i or verb in list(trigger.ancestors)[:NOUN_VERB_DISTANCE])
        subject = subject_of(view, rules, verb) if near else None
        if subject is None and near and nominal_subject(verb) is None:
            subject = view.party_before(sent, trigger)  # a subject the parse missed: "Manille négocie l'achat de"
        if subject is not None and verb.i != trigger.i \
                and view.mentions[subject]["token_start"] in {t.i for t in trigger.subtree}:
            subject = None
        # the agent of the deal noun is its party, whoever reports it: "l'acquisition de 116 chars
        # par la Pologne", "le ministère a confirmé la commande de 26 Rafale par l'Inde"
        # (attached by the parse to the noun, or to an active verb, where `par` has no other use)
        active_verb = verb is not None and verb.i != trigger.i and not any(c.dep_ == "aux:pass" for c in verb.children)
        candidates = [*trigger.children, *(c for c in verb.children if c.dep_ == "obl:agent")] if active_verb \
            else list(trigger.children)
        agent = next((view.mention_at(c) for c in candidates if view.mention_at(c) is not None
                      and view.is_party(view.mention_at(c))
                      and any(g.dep_ == "case" and g.lower_ == "par" for g in c.children)), None)
        subject = agent if agent is not None else subject
    else:
        subject = None
    side = subject_side(rules, rule, verb if rule.kind == "noun" else trigger)
    if side == "theme":  # the equipment is the subject: the party it goes to or serves
        recipient = view.party_after_preposition(sent, trigger, rules["destination_prepositions"])
        supplier = view.party_after_preposition(sent, trigger, rules["origin_prepositions"])
        return (supplier if supplier != recipient else None), recipient
    after = view.party_after_preposition(sent, trigger, rules["recipient_prepositions"])
    if after is None and verb is not None and verb.i < trigger.i:
        # "ont accordé à la Pologne le prêt de douze chars": the recipient before the noun
        after = view.party_after_preposition(sent, verb, rules["recipient_prepositions"])
    if side == "supplier":
        supplier = subject
        recipient = after if after is not None else (
            view.first_party_between(trigger.i + 1, weapon.start) if rule.kind == "verb" else None)
        if recipient is None or view.country_of(recipient) is None:  # "en Asie : le Vietnam et l'Indonésie"
            recipient = listed_after_colon(view, sent, trigger) or recipient
        if recipient is None:  # "des missiles Mistral 3 à destination de Chypre ont été livrés"
            recipient = destination_of(view, rules, sent, weapon)
    elif side == "recipient":
        recipient = subject
        preps = rules["supplier_prepositions"] | (rules["origin_prepositions"] if rule.kind == "verb" else frozenset())
        supplier = view.party_after_preposition(sent, trigger, preps)
        if supplier is None and verb is not None and verb.i < trigger.i \
                and verb in list(trigger.ancestors)[:2]:  # the noun or its contract is the object
            # "a conclu un accord avec Saab pour l'achat de 16 Gripen"
            before = view.party_after_preposition(sent, verb, rules["supplier_prepositions"])
            supplier = before if before is not None and view.mentions[before]["token_start"] < trigger.i else None
        if recipient is None and rule.kind == "noun":
            recipient, supplier = after, None
    if recipient is None and (rule.kind == "equipped" or is_participle_modifier(trigger)):
        # "des policiers équipés de ...", "signe au Caire un contrat sur des missiles fournis
        # par MBDA"; not across a relative clause ("la Hongrie, cliente du Gripen, qui
        # compte 270 appareils vendus")
        recipient = view.party_before(sent, trigger)
        relative = next((a for a in trigger.ancestors if a.dep_ == "acl:relcl" or any(
            c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS for c in a.children)), None)
        if recipient is not None and relative is not None \
                and view.mentions[recipient]["token_start"] not in {t.i for t in relative.subtree}:
            recipient = None
    return supplier, recipient


def subject_side(rules: RelationRules, rule: Trigger, verb: Token | None) -> str | None:
    """The side of the trigger's subject: the rule's, unless a deal noun's verb says otherwise
    (`la France a remporté le contrat de`: the seller; `a pris livraison de`: the buyer), or
    a verb is reflexive (`l'Égypte s'est dotée de 24 Rafale`: the buyer)."""
    if rule.kind == "verb" and verb is not None and verb.lemma_.lower() in rules["reflexive_recipient_verbs"] \
            and any(c.lower_ in ("se", "s'", "s’") for c in verb.children):
        return "recipient"
    if rule.kind == "noun" and verb is not None:
        lemma = verb.lemma_.lower()
        if lemma in rules["winning_verbs"]:
            return "supplier"
        if lemma in rules["taking_verbs"]:
            return "recipient"
    return rule.subject


def subject_of(view: DocView, rules: RelationRules, trigger: Token) -> int | None:
    """The party that is the subject of the trigger's clause, climbing through the verbs
    it complements (`envisagent de commander`, `après avoir réceptionné`, `prévoyant`); a
    state named by a periphrasis (`le pays balte`) is the state named last before it."""
    own = None  # the trigger's own words, taken when a subject found above it must be checked
    for verb in subject_verbs(trigger):
        if is_finite_verb_read_as_modifier(verb):  # "L'Égypte négocie avec la Chine ...", the verb hung on its subject
            found = view.party_in_subtree(verb.head) if view.mention_at(verb.head) is not None else None
            if found is not None:
                return found
        for child in verb.children:
            if child.dep_ == "nsubj":
                # a relative pronoun stands for the noun its clause hangs from ("la Grèce qui
                # en aligne 30", "MBDA, qui fournira des missiles")
                relative = child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "acl:relcl"
                found = view.party_in_subtree(verb.head if relative else child)
                if found is None and is_state_periphrasis(rules, child):
                    found = view.state_before(child.i)  # "le pays balte recevra", "le royaume a commandé"
                if found is not None and verb.i != trigger.i and own is None:
                    own = {t.i for t in trigger.subtree}
                if found is not None and (verb.i == trigger.i or view.mentions[found]["token_start"] not in own):
                    return found
    return None


def pair_sides(view: DocView, rules: RelationRules, s: int, subject: Token | None,
               origin: str | None) -> tuple[str, str] | None:
    """(supplier, recipient) countries when the subject is `les deux pays` (the two countries
    named just before): the system's origin supplies, the other receives."""
    if subject is None or origin is None or not rules.pair_regex.search(
            view.doc[subject.left_edge.i:subject.right_edge.i + 1].text):
        return None
    pair = view.recent_countries(s, 2)
    if len(pair) != 2 or origin not in pair:
        return None
    return origin, next(iter(pair - {origin}))


def speaker_country(view: DocView, rules: RelationRules, trigger: Token | None) -> str | None:
    """The country of the speaker when the trigger's subject is `nous` or `je` in a quote: a
    party or demonym in the subject of the reporting clause (`a déclaré le ministre lituanien`,
    `a affirmé le président de la Pologne`)."""
    if trigger is None or not any(c.dep_ == "nsubj" and c.lower_ in rules["first_person_subjects"]
                                  for c in trigger.children):
        return None
    reporting = [c for c in trigger.children if c.dep_ == "parataxis"]
    if trigger.dep_ in ("ccomp", "parataxis"):
        reporting.append(trigger.head)
    for verb in reporting:
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            party = view.party_in_subtree(subject)
            country = view.country_of(party) if party is not None else view.demonym_country(subject.subtree)
            if country is not None:
                return country
    return None


def is_state_periphrasis(rules: RelationRules, token: Token) -> bool:
    """`le pays`, `ce pays balte`, `le royaume`, `l'émirat`: a state noun with a definite or
    demonstrative determiner."""
    return token.lemma_.lower() in rules["state_nouns"] and has_determiner(token, SINGULAR_DEFINITE_OR_DEMONSTRATIVE)


def previous_subject(view: DocView, s: int) -> int | None:
    """The party that is the subject of the nearest earlier sentence that has one."""
    for k in range(s - 1, max(-1, s - 4), -1):
        for token in view.sents[k]:
            if token.dep_ == "nsubj" and token.head.dep_ == "ROOT":
                found = view.party_in_subtree(token)
                if found is not None:
                    return found
    return None


def agent_of(view: DocView, trigger: Token) -> int | None:
    """The party of the passive agent (`commandés par Taïwan`, however the parse labels the
    `par` phrase of a passive verb)."""
    passive = any(c.dep_ == "aux:pass" for c in trigger.children)
    for child in trigger.children:
        if child.dep_ == "obl:agent" or passive and child.dep_.startswith("obl") and any(
                c.dep_ == "case" and c.lower_ == "par" for c in child.children):
            return view.party_in_subtree(child)
    return None


def status(view: DocView, rules: RelationRules, sent: Span, trigger: Token, rule: Trigger) -> str:
    """The stage of the deal: the trigger's own, changed by mood, tense and cues."""
    if governed_by(trigger, rules["cancelled_cues"], depth=4, through_verb_conj=False) \
            or trigger.lemma_.lower() in rules["cancelled_cues"] or contract_called_off(view, rules, trigger) is not None:
        # "l'annulation du contrat de livraison de 30 hélicoptères"; not "a renoncé aux JF-17 et
        # a opté pour des F-16" (a coordinated verb is its own statement)
        return "cancelled"
    if view.has_word(sent, rules["alleged_cues"]) or sentence_says(
            view, sent, "alleged", lambda text: "selon laquelle" in text.lower() or bool(rules.alleged_regex.search(text))):
        return "alleged"
    if view.has_word(sent, rules["negotiating_cues"]) and rule.status != "delivered" \
            or governed_by(trigger, rules["negotiating_cues"]) or described_as(trigger, rules["tentative_adjectives"]):
        return "negotiating"
    if rule.status == "negotiating" or view.has_word(sent, rules["bid_cues"]) and is_bare_infinitive(trigger):
        return "negotiating"  # "sont en lice pour fournir 36 chasseurs"
    if rule.status == "delivered" and within_order(rules, trigger):
        return "ordered"  # "un contrat pour l'achat de 36 Rafale", "un contrat avec Thales, qui livrera"
    # a noun takes its verb's mood and tense: "une commande ... aurait été signée"
    verb = governing_verb(trigger) if rule.kind == "noun" else trigger
    if rule.kind == "noun" and rule.status == "delivered" and verb is not None and is_bare_infinitive(verb):
        return "planned"  # "demande au Parlement d'approuver la vente", "pour finaliser l'achat"
    if verb is not None and verb.dep_ == "xcomp" and is_bare_infinitive(verb):
        verb = verb.head  # "le Brésil pourrait acquérir des Leopard": the modal's mood
    mood, tense = mood_tense(verb, rules["irregular_future_stems"]) if verb is not None else (None, None)
    if mood == "Cnd":
        return "alleged" if tense == "Past" else "planned"
    # a finite clause with its own subject keeps its tense under a verb of saying or planning the
    # parse hangs it on (`Moscou a livré ..., a annoncé l'agence Tass`)
    own_clause = rule.kind == "verb" and any(c.dep_.startswith("nsubj") for c in trigger.children) \
        and any(c.dep_ == "aux:tense" for c in trigger.children)
    if tense == "Fut" or not own_clause and governed_by(trigger, rules["planned_cues"]) \
            or cue_object_of_verb(trigger, rules["planned_cues"], rules["approval_nouns"]) \
            or described_as(trigger, rules["planned_cues"]):
        return "planned"
    if rule.kind == "verb" and is_bare_infinitive(trigger) and rule.status in ("delivered", "ordered"):
        governor = trigger.head if trigger.dep_ == "xcomp" or is_purpose(trigger) else verb_before(trigger)
        if governor is not None and governor.lemma_.lower() not in rules["realised_verbs"] \
                and governor.lower_ not in rules["realised_verbs"]:
            return "planned"  # "a décidé d'acheter", "compte acquérir"; not "a commencé à recevoir"
    if rule.kind == "noun" and rule.status == "delivered" and verb is not None and verb.i != trigger.i \
            and verb.lemma_.lower() in rules["signing_lemmas"] and trigger.lemma_.lower() not in rules["arrival_lemmas"]:
        return "ordered"  # "Le Caire a conclu l'achat de 30 Rafale": signed, not yet delivered
    if rule.status == "delivered" and trigger.lemma_.lower() not in rules["arrival_lemmas"] \
            and future_arrival(view, rules, sent):
        return "ordered"  # "a acheté 90 chars, dont l'arrivée est prévue en 2026"
    return rule.status


def contract_called_off(view: DocView, rules: RelationRules, trigger: Token) -> Token | None:
    """`a acquis douze Mirage 2000-5, un contrat finalement annulé en 2024`: a contract noun
    appended to the deal's clause whose participle calls it off; that participle."""
    if not view.lemma_positions(rules["cancelled_cues"]):
        return None  # the document has no word that calls a deal off
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
    if verb is None:
        return None
    return next((p for c in verb.subtree if c.pos_ == "NOUN" and c.lemma_.lower() in rules["ordered_cues"]
                 and c.i > trigger.i and clause_head(c).i == verb.i for p in c.children
                 if p.dep_ == "acl" and p.lemma_.lower() in rules["cancelled_cues"]
                 and not is_negated(p, rules["negation_words"])), None)


def described_as(trigger: Token, adjectives: frozenset) -> bool:
    """A deal noun with one of these adjectives (`une éventuelle commande`, `la future livraison`)."""
    return trigger.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lemma_.lower() in adjectives for c in trigger.children)


def cue_object_of_verb(trigger: Token, cues: frozenset, approvals: frozenset = frozenset()) -> bool:
    """A cue noun as the object of the deal's verb: `Berlin a donné son feu vert à la
    livraison de chars Leopard 2` (the green light is for the delivery: still to come), read
    on the deal noun's verb or on the trigger verb itself (`donner`); an approval noun with a
    possessive counts too (`a donné son accord à l'exportation de`)."""
    verb = trigger.head if trigger.pos_ == "NOUN" and trigger.dep_.startswith("obl") else trigger
    return verb.pos_ == "VERB" and any(
        c.i != trigger.i and c.dep_ == "obj" and (c.lemma_.lower() in cues or c.lemma_.lower() in approvals
                                                  and has_determiner(c, POSSESSIVE)) for c in verb.children)


def is_purpose(verb: Token) -> bool:
    """`a débloqué un milliard pour acquérir des drones`: an infinitive of purpose."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("pour", "afin") for c in verb.children)


def is_bare_infinitive(verb: Token) -> bool:
    """An infinitive without auxiliary: what it governs is still to happen (`accepter la
    vente`), unlike `après avoir achevé la livraison`."""
    return "Inf" in verb.morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in verb.children)


def within_order(rules: RelationRules, trigger: Token) -> bool:
    """The trigger is part of a contract or order: under one in the parse (`un contrat pour
    l'achat de`, `un contrat visant à livrer`), or beside one under the same verb (`a conclu un
    accord avec Saab pour l'achat de`). A delivery (`livraison`, `livrer`) counts
    only under a contract or order noun: `commandé 180 chars, dont une première livraison`
    is a delivery."""
    cues = rules["ordered_cues"]
    if stated_by_order(rules, trigger):
        return True
    if trigger.lemma_.lower() in rules["arrival_lemmas"]:
        return any(a.pos_ == "NOUN" and a.lemma_.lower() in cues for a in list(trigger.ancestors)[:2]) or (
            trigger.pos_ == "NOUN" and trigger.dep_.startswith("obl") and any(  # "a décroché un contrat pour la livraison de"
                c.dep_ == "obj" and c.pos_ == "NOUN" and c.lemma_.lower() in cues for c in trigger.head.children))
    return governed_by(trigger, cues) or (trigger.pos_ == "NOUN" and any(
        c.i != trigger.i and c.pos_ == "NOUN" and c.lemma_.lower() in cues and not has_determiner(c, POSSESSIVE)
        for c in trigger.head.children))


def stated_by_order(rules: RelationRules, trigger: Token) -> bool:
    """The trigger is what a contract or order covers, as the object of a content verb whose
    subject is that noun (`ce contrat prévoit la livraison de`, `la commande comprend la
    fourniture de`, `le contrat porte sur la livraison de`): the contract's stage, not the
    verb's own plan. (A framework agreement, `des accords-cadres prévoyant l'acquisition de`,
    stays a plan.)"""
    verb = trigger.head if trigger.pos_ == "NOUN" and trigger.dep_.startswith(("obj", "obl")) else None
    return verb is not None and verb.lemma_.lower() in rules["content_verbs"] and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in rules["ordered_cues"] for c in verb.children)


def future_arrival(view: DocView, rules: RelationRules, sent: Span) -> bool:
    """The sentence says the equipment will arrive (`seront livrés`, `devraient être livrés`)."""
    return any(t.pos_ == "VERB"
               and (mood_tense(t, rules["irregular_future_stems"])[1] == "Fut"
                    or mood_tense(t, rules["irregular_future_stems"])[0] == "Cnd"
                    or governed_by(t, rules["planned_cues"], depth=2))
               for t in view.with_lemma(rules["arrival_lemmas"], sent))


def batch_marks(view: DocView, rules: RelationRules, weapon: Span) -> frozenset[str]:
    """What the words before the weapon say of its batch: `part` (`le premier lot de six`,
    `les dix premiers`: a part of a larger order), `additional` (`des quantités
    supplémentaires`, `un second lot`, `douze nouveaux`: another batch)."""
    start = max(view.sentence_index.of(weapon.start).start, weapon.start - 7)
    # not across a verb: `la dernière tranche du contrat portant sur 42 Rafale` is no part of the 42
    start = max([start, *(t.i + 1 for t in view.doc[start:weapon.start] if t.pos_ in ("VERB", "AUX"))])
    words = {t.lower_ for t in view.doc[start:weapon.end] if not (t.lower_ == "nouveau" and t.i > 0
                                                                   and t.nbor(-1).lower_ == "de")} \
        | {c.lower_ for c in weapon.root.children}  # not `de nouveau` (again)
    marks = set()
    if words & rules["part_words"]:
        marks.add("part")
    if words & rules["additional_words"]:
        marks.add("additional")
    return frozenset(marks)


def quantity(view: DocView, rules: RelationRules, weapon: Span) -> int | None:
    """The numeral before the weapon or its equipment noun (`3 drones Bayraktar TB2`,
    `218 lance-roquettes multiples K239`, `une vingtaine de Su-35`)."""
    doc = view.doc
    tokens = list(doc[max(view.sentence_index.of(weapon.start).start, weapon.start - 7):weapon.start])
    for k in range(len(tokens) - 1, -1, -1):
        t = tokens[k]
        if view.label_at(t) in ("DATE", "MONEY", "DURATION"):
            break  # "a reçu en 2014 la frégate": a year, not a count
        number_word = t.like_num or t.pos_ == "NUM" or (
            "-" in t.text and t.text[0].isalpha() and parse_number(t.text) is not None)  # `dix-huit` tagged as a verb
        if not number_word and (t.is_punct and t.text != "-" or t.pos_ in ("VERB", "AUX") or
                                (t.pos_ == "ADP" and t.lower_ not in ("de", "d'", "d’", "du", "des"))):
            break
        if t.lower_ in rules.collective_numbers:
            phrase = " ".join(x.text for x in tokens[max(0, k - 1):k + 1])
        elif number_word:
            phrase = t.text
            while k > 0 and len(phrase.split()[0]) == 3 and phrase[:3].isdigit() and tokens[k - 1].text.isdigit() \
                    and len(tokens[k - 1].text) <= 3:
                k -= 1  # "3 000 missiles": a number in groups of three digits
                phrase = tokens[k].text + " " + phrase
        else:
            continue
        if t.lower_ in ("un", "une"):
            return None  # an article, not a count
        value = parse_number(phrase)
        if value is not None and float(value).is_integer() and 0 < value < 100000:
            return part_of_count(rules, tokens[:k]) or int(value)
        return None
    return None


def part_of_count(rules: RelationRules, before: list[Token]) -> int | None:
    """`le premier des six sous-marins`, `les deux derniers des 24 Rafale`: the count of the
    part (1 unless a number comes before the ordinal), when the words before the count say so."""
    if len(before) < 2 or before[-1].lower_ not in ("des", "de", "d'", "d’") \
            or before[-2].lower_ not in rules["ordinal_part_words"]:
        return None
    count = parse_number(before[-3].text) if len(before) > 2 and before[-3].like_num else None
    return int(count) if count is not None and float(count).is_integer() else 1


def value_for(view: DocView, rules: RelationRules, s: int, weapon: Span,
              trigger: Token | None = None) -> tuple[int | None, int | None]:
    """The MONEY of the deal: the first amount after the weapon in its sentence (before
    the next weapon), else one in the trigger's own clause; if the sentence has none, an
    amount in one of the next two sentences when it speaks of the deal's amount
    (`Le montant du contrat...`) and names no weapon, nor a date unless it names the deal by a
    demonstrative (`Signé le 12 mars, ce contrat s'élève à`), unless a sentence naming another
    system comes first."""
    money = view.in_sentence(s, ("MONEY",))
    if money:
        weapons = [view.mentions[i]["token_start"] for i in view.in_sentence(s, ("WEAPON",))
                   if view.mentions[i]["token_start"] > weapon.start]
        limit = min(weapons) if weapons else len(view.doc)
        after = [i for i in money if weapon.end <= view.mentions[i]["token_start"] < limit]
        if after:
            return after[0], None
        # the trigger's clause, or the clause a purpose infinitive serves ("a débloqué un milliard pour acquérir")
        clauses = {trigger.i, trigger.head.i} if trigger is not None and is_purpose(trigger) \
            else {trigger.i} if trigger is not None else set()
        own = in_clauses(view, money, clauses)
        if not own and trigger is not None:
            # "un contrat de 900 millions d'euros pour l'achat de 40 blindés": the amount
            # of the deal noun or of the contract it belongs to
            anchors = {trigger.i} | {t.i for t in (trigger.head, *trigger.head.children)
                                     if t.pos_ == "NOUN" and t.lemma_.lower() in rules["value_nouns"]}
            own = [i for i in money if anchors & {a.i for a in view.span_of(i).root.ancestors}]
        return (own[-1] if own else None), None
    index = view.mention_at(weapon.root)
    name = view.norm(index).get("name") if index is not None else None
    for nxt in range(s + 1, min(s + 3, len(view.sents))):
        weapons = {view.norm(i).get("name") for i in view.in_sentence(nxt, ("WEAPON",))}
        if weapons - {name}:
            break  # another system: another deal
        money = view.in_sentence(nxt, ("MONEY",))
        if money and not weapons and (view.has_lemma(view.sents[nxt], rules["value_nouns"])
                                      or amount_of_the_deal(view, rules, view.sents[nxt])) \
                and (not view.in_sentence(nxt, ("DATE",)) or names_the_deal(view, rules, nxt)):
            return money[0], nxt
    return None, None


def amount_of_the_deal(view: DocView, rules: RelationRules, sent: Span) -> bool:
    """`Il s'élève à 2,7 milliards d'euros`: an amount verb whose subject is a pronoun (the
    deal of the sentence before)."""
    return any(any(c.dep_ in ("nsubj", "expl:subj") and c.pos_ == "PRON" for c in t.children)
               for t in view.with_lemma(rules["amount_verbs"], sent))


def covered_by_stated_deal(rules: RelationRules, trigger: Token) -> bool:
    """`Cette somme couvre, outre les HIMARS, la livraison de munitions`: the trigger is what a
    deal already spoken of (a definite or demonstrative deal noun) covers."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
    return verb is not None and verb.lemma_.lower() in rules["content_verbs"] and any(
        c.dep_.startswith("nsubj") and c.lemma_.lower() in rules["value_nouns"]
        and has_determiner(c, DEFINITE_OR_DEMONSTRATIVE) for c in verb.children)


def names_the_deal(view: DocView, rules: RelationRules, s: int) -> bool:
    """The sentence names the deal by a demonstrative (`Signé le 12 mars, ce contrat ...`) or
    as the contract signed (`Le contrat, signé en janvier, s'élève à`)."""
    return any(has_determiner(t, rules["demonstrative_determiners"]) or any(
        c.dep_ == "acl" and c.lemma_.lower() in rules["signing_lemmas"] for c in t.children)
        for t in view.with_lemma(rules["value_nouns"], view.sents[s]))


def in_clauses(view: DocView, mentions: list[int], clauses: set[int]) -> list[int]:
    """The `mentions` whose clause head is one of the token indices `clauses`."""
    return [i for i in mentions if clause_head(view.span_of(i).root).i in clauses]


def date_for(view: DocView, rules: RelationRules, s: int, trigger: Token, stage: str) -> int | None:
    """A DATE in the trigger's clause, else (planned/negotiating) in the reporting clause,
    else (ordered) in a signing clause of the sentence (`Signé le 12 mars, ce contrat prévoit`)."""
    heads = [trigger]
    if trigger.dep_ in ("conj", "xcomp") or trigger.pos_ == "NOUN":
        verb = governing_verb(trigger)
        heads.append(verb if verb is not None else trigger.head)
    if stage in ("planned", "negotiating", "alleged"):
        heads += list(trigger.ancestors)
        # and the clause that reports it ("a annoncé le général, cité dimanche par un média")
        reporting = [c for h in heads for c in h.children if c.dep_ in ("advcl", "parataxis", "obl:mod")
                     and c.lemma_.lower() in rules["reporting_verbs"]]
        heads += reporting + [g for r in reporting for g in r.children
                              if g.pos_ == "VERB" and g.lemma_.lower() in rules["reporting_verbs"]]
    if stage == "cancelled" and (called_off := contract_called_off(view, rules, trigger)) is not None:
        heads.insert(0, called_off)  # "un contrat finalement annulé en 2024"
    if stage == "ordered":  # a signing participle on the deal's clause or on its contract noun
        clause = {h.i for h in heads} | {c.i for h in heads for c in h.children
                                         if c.dep_.startswith("nsubj") and c.lemma_.lower() in rules["ordered_cues"]}
        heads += [t for t in view.with_lemma(rules["signing_lemmas"], view.sents[s]) if t.pos_ == "VERB"
                  and t.dep_ in ("advcl", "acl") and t.head.i in clause]
    clause_of = {i: clause_head(view.span_of(i).root).i for i in view.calendar_dates(s)}
    return next((i for head in heads for i, clause in clause_of.items() if clause == head.i), None)


def drop_generic_restatements(view: DocView, relations: list[dict]) -> list[dict]:
    """`un logiciel espion vendu par la société, Predator`: the generic noun and the name under
    one trigger are one transfer; the named one stays."""
    def category(rel: dict) -> str | None:
        return view.norm(rel["args"]["weapon"]).get("category")
    named = {(r["trigger"], category(r)) for r in relations if not view.is_generic(r["args"]["weapon"])}
    return [r for r in relations if not view.is_generic(r["args"]["weapon"]) or (r["trigger"], category(r)) not in named]


def signing_of_the_deal(view: DocView, rules: RelationRules, s: int) -> tuple[bool, int | None]:
    """`La commande a été signée le 14 février`: a sentence naming no weapon that says the
    contract or order already spoken of (definite or demonstrative) is signed; and the date
    it gives, if any."""
    if view.in_sentence(s, ("WEAPON",)) or not view.has_lemma(view.sents[s], rules["signing_lemmas"]):
        return False, None
    for token in view.with_lemma(rules["ordered_cues"], view.sents[s]):
        verb = token.head
        if token.pos_ != "NOUN" \
                or not token.dep_.startswith(("nsubj", "obj")) or verb.lemma_.lower() not in rules["signing_lemmas"] \
                or not has_determiner(token, DEFINITE_OR_DEMONSTRATIVE):
            continue
        mood, tense = mood_tense(verb, rules["irregular_future_stems"])
        if mood == "Cnd" or tense == "Fut" or is_negated(verb, rules["negation_words"]):
            continue
        dates = in_clauses(view, view.calendar_dates(s), {verb.i})
        return True, (dates[0] if dates else None)
    return False, None



def cancelling_of_the_deal(view: DocView, rules: RelationRules, s: int) -> tuple[bool, int | None]:
    """`Lima a fait savoir lundi qu'elle rompait les discussions sur ce contrat`: a sentence
    naming no weapon that calls off a deal already spoken of (a definite
    or demonstrative deal noun under a cancellation word, not negated, not future or
    conditional); and the date of that clause or of the clause reporting it, if any."""
    sent = view.sents[s]
    if view.in_sentence(s, ("WEAPON",)) or not view.has_lemma(sent, rules["cancelled_cues"]):
        return False, None
    for token in view.with_word(rules.trigger_lemmas | rules["ordered_cues"], rules["equipped_participles"],
                                sent.start, sent.end):
        if token.pos_ != "NOUN" or trigger_rule(rules, token) is None and token.lemma_.lower() not in rules["ordered_cues"] \
                or not has_determiner(token, DEFINITE_OR_DEMONSTRATIVE):
            continue
        cue = next((a for a in list(token.ancestors)[:3] if a.lemma_.lower() in rules["cancelled_cues"]), None)
        if cue is None or is_negated(cue, rules["negation_words"]) \
                or mood_tense(cue, rules["irregular_future_stems"])[1] == "Fut":
            continue
        dates = in_clauses(view, view.calendar_dates(s), {cue.i, cue.head.i})
        return True, (dates[0] if dates else None)
    return False, None


def signing_date(view: DocView, rules: RelationRules, s: int) -> int | None:
    """`pendant la cérémonie de signature, organisée à Bangkok le 3 février`, `la signature a
    eu lieu le 3 mars`: the calendar date of a signing noun's event (the date's
    clause is the noun's, or reaches the noun or the noun it names the kind of)."""
    sent = view.sents[s]
    if not view.has_lemma(sent, rules["signing_lemmas"]):
        return None
    nouns = [t for t in view.with_lemma(rules["signing_lemmas"], sent) if t.pos_ == "NOUN"]
    for noun in nouns:
        events = {noun.i, noun.head.i} if noun.dep_.startswith("nmod") else {noun.i}
        events.add(clause_head(noun).i)
        for date in view.calendar_dates(s):
            root = view.span_of(date).root
            if clause_head(root).i in events or any(a.i in events for a in root.ancestors):
                return date
    return None


def deal_context(view: DocView, rules: RelationRules, s: int) -> dict | None:
    """A deal stated without its weapon (`Naval Group a signé un contrat avec la marine
    grecque`): the recipient and supplier countries a later statement of the same deal
    may take. With a company for subject, the party after `avec` is the buyer. `signed`: a
    contract or order stated as done (not future, conditional, planned or negotiated)."""
    sent = view.sents[s]
    if not view.has_lemma(sent, rules.trigger_nouns):
        return None
    for token in possible_triggers(view, rules, sent.start, sent.end):
        rule = trigger_rule(rules, token)
        if rule is None or rule.kind != "noun":
            continue
        verb = governing_verb(token)
        subject = subject_of(view, rules, verb) if verb is not None else None
        partner = view.party_after_preposition(sent, token, rules["supplier_prepositions"])
        if subject is None or partner is None:
            continue
        recipient, supplier = (partner, subject) if view.is_company(subject) else (subject, partner)
        if view.country_of(recipient) and view.country_of(recipient) != view.country_of(supplier):
            tense = mood_tense(verb, rules["irregular_future_stems"])
            signed = token.lemma_.lower() in rules["ordered_cues"] and tense[0] != "Cnd" and tense[1] != "Fut" \
                and not governed_by(token, rules["planned_cues"] | rules["negotiating_cues"])
            return {"args": {"recipient": recipient}, "weapon_key": None, "signed": signed,
                    "attrs": {"recipient_country": view.country_of(recipient),
                              "supplier_country": view.country_of(supplier)}}
    return None


def coordinated_parties(view: DocView, index: int) -> list[int]:
    """The parties coordinated with a party mention (`à l'Estonie, la Lettonie et la
    Lituanie`, `par le Chili, le Pérou ou la Colombie`), in text order."""
    head = view.span_of(index).root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    conjuncts, todo = [], [head]
    while todo:
        token = todo.pop()
        conjuncts.append(token)
        todo += [c for c in token.children if c.dep_ == "conj"]
    # a conjunct with a clause of its own states its own deal ("la Serbie, qui en aligne 14,
    # et la Hongrie, qui en a loué 12")
    conjuncts = [t for t in conjuncts if not any(c.dep_ == "acl:relcl" for c in t.children)]
    found = ({view.mention_at(t) for t in conjuncts} | set(listed_after(view, index))) - {None, index}
    return sorted((i for i in found if view.is_party(i)), key=lambda i: view.mentions[i]["token_start"])


# What may stand between two parties of a list: `à l'Estonie, à la Lettonie et à la Lituanie`.
LIST_LINKS = {",", ";", "et", "ou", "à", "au", "aux", "en", "le", "la", "l'", "l’", "les"}


def listed_after(view: DocView, index: int) -> list[int]:
    """The parties listed right after a party mention, whatever the parse: separated by
    commas and `et`/`ou`, each with its preposition (`en Égypte, au Qatar, en Inde`),
    determiner and bracketed count."""
    found, end = [], view.mentions[index]["token_end"]
    while end < len(view.doc):
        if view.doc[end].text == "(":
            close = next((t.i for t in view.doc[end:min(len(view.doc), end + 8)] if t.text == ")"), None)
            if close is None:
                break
            end = close + 1
            continue
        link = end
        while link < len(view.doc) and view.doc[link].lower_ in LIST_LINKS:
            link += 1
        following = view.mention_at(view.doc[link]) if link < len(view.doc) and link > end else None
        if following is None or not view.is_party(following) or not any(
                t.lower_ in (",", ";", "et", "ou") for t in view.doc[end:link]):
            break
        found.append(following)
        end = view.mentions[following]["token_end"]
    return found


def listed_after_colon(view: DocView, sent: Span, trigger: Token) -> int | None:
    """`a livré des VAB à plusieurs pays : le Kenya (12), le Ghana (4)`: the first party right
    after a colon that follows the trigger (the others are listed after it)."""
    colon = next((t.i for t in view.doc[trigger.i + 1:sent.end] if t.text == ":"), None)
    if colon is None:
        return None
    first = next((t for t in view.doc[colon + 1:min(sent.end, colon + 4)] if view.mention_at(t) is not None), None)
    index = view.mention_at(first) if first is not None else None
    return index if index is not None and view.is_party(index) else None


def bracketed_count(view: DocView, index: int) -> int | None:
    """The number in brackets right after a mention: `la Hongrie (14)`, `le Kenya (12 VAB)`."""
    end = view.mentions[index]["token_end"]
    tokens = view.doc[end:min(len(view.doc), end + 3)]
    if len(tokens) >= 3 and tokens[0].text == "(" and (tokens[1].like_num or tokens[1].pos_ == "NUM"):
        value = parse_number(tokens[1].text)
        if value is not None and float(value).is_integer() and 0 < value < 100000:
            return int(value)
    return None


def passing_deals(view: DocView, rules: RelationRules, s: int, last_system: int | None = None) -> list[dict]:
    """Deals listed in passing: `les autres clients du Gripen : la Hongrie (14), la Thaïlande
    (12)` (a client noun and the parties after it, for the system it names or the document's
    system), and, in a sentence naming no weapon, `des commandes signées par le Chili, le
    Pérou et la Colombie` (a deal noun and the parties in its phrase, for the system of the
    deal stated just before, `last_system`, else the document's system)."""
    sent = view.sents[s]
    names_weapon = bool(view.in_sentence(s, ("WEAPON",)))
    if not view.has_lemma(sent, rules["client_nouns"]) and (names_weapon or not view.has_lemma(sent, rules.trigger_nouns)):
        return []  # neither a client noun nor, in a sentence naming no weapon, a deal noun
    topic = topic_weapon(view, sent.start)  # the system the document is about so far
    for token in view.with_word(rules.trigger_lemmas | rules["client_nouns"], rules["equipped_participles"],
                                sent.start, sent.end):
        rule = trigger_rule(rules, token)
        is_client = token.lemma_.lower() in rules["client_nouns"] and token.pos_ == "NOUN"
        if is_client:  # the system named with the client noun, else before it in the sentence
            weapon = next((view.mention_at(t) for t in token.subtree if view.label_at(t) == "WEAPON"), None)
            before = [i for i in view.in_sentence(s, ("WEAPON",)) if view.mentions[i]["token_end"] <= token.i]
            weapon = weapon if weapon is not None else (before[-1] if before else None if names_weapon else topic)
        elif rule is not None and rule.kind == "noun" and rule.subject == "recipient" and not names_weapon:
            weapon = last_system if last_system is not None else topic  # "... client du BrahMos. Le contrat, signé entre"
        else:
            continue
        if weapon is None or not view.norm(weapon).get("name"):
            continue
        origin = view.norm(weapon).get("country")
        candidates = [i for i in view.in_sentence(s, PARTY_LABELS_OF_STATES)
                      if view.is_party(i) and view.country_of(i) not in (None, origin) and not view.is_company(i)]
        parties = [i for i in candidates if (listed_client(view, token, i, rules["copular_verbs"]) if is_client else
                   view.mentions[i]["token_start"] > token.i and token.i in {a.i for a in view.span_of(i).root.ancestors})]
        if not parties:
            continue
        stage = client_stage(rules, token) if is_client else status(view, rules, sent, token, rule)
        # the date and value of the clause that makes the subject a client ("est devenue en 2015
        # le premier client"; "Le contrat, signé en janvier, s'élève à 375 millions de dollars")
        subject_client = is_client and any(view.mentions[i]["token_start"] < token.i for i in parties)
        date = date_for(view, rules, s, token, stage) if subject_client else None
        value, value_sentence = value_for(view, rules, s, view.span_of(weapon), token) if subject_client else (None, None)
        dated = {"date": date} if date is not None else {}
        if value is not None:
            dated["value"] = value
        return [{"type": "arms_transfer", "args": {"weapon": weapon, "recipient": i, **dated},
                 "_dates": {view.norm(date)["value"]} if date is not None else set(),
                 "weapon_key": view.norm(weapon).get("name"), "trigger": token.i, "_origin_supplier": True,
                 "attrs": {"supplier_country": origin, "recipient_country": view.country_of(i),
                           "quantity": bracketed_count(view, i), "status": stage},
                 "evidence": view.evidence(s, value_sentence)} for i in parties]
    return []


def client_stage(rules: RelationRules, client: Token) -> str:
    """A client in service has the system (delivered), a buyer or one that becomes a client has
    ordered it; one that will be or would be a client is planned (`l'Indonésie sera le premier client du Rafale`)."""
    verb = next((c for c in client.children if c.dep_ == "cop"), None) or governing_verb(client)
    mood, tense = mood_tense(verb, rules["irregular_future_stems"]) if verb is not None else (None, None)
    if mood == "Cnd" or tense == "Fut":
        return "planned"
    becoming = verb is not None and verb.lemma_.lower() in rules["becoming_verbs"]  # "devient client"
    return "ordered" if client.lemma_.lower() in rules["buyer_nouns"] or becoming else "delivered"


def listed_client(view: DocView, client: Token, index: int, copular_verbs: frozenset) -> bool:
    """A party given as a client of the system: listed after a colon (`ses clients : la
    Hongrie, la Thaïlande`), with its count in brackets (`la Hongrie (14)`), or the subject of
    the client noun (`Manille est devenue le premier client du BrahMos`)."""
    start = view.mentions[index]["token_start"]
    among = any(c.dep_ == "case" and c.lower_ == "parmi" for c in client.children)
    if among and start > client.i:  # "Parmi les utilisateurs du Caesar figurent l'Arabie saoudite, ..."
        token = view.doc[start]
        while token.dep_ in ("conj", "appos") and token.head.i != token.i:
            token = token.head
        return token.dep_.startswith(("nsubj", "obj")) and token.head.i == client.head.i
    if start < client.i:
        between = view.doc[view.mentions[index]["token_end"]:client.i]
        if len(between) <= 3 and between and between[0].text == "," and all(
                t.pos_ in ("DET", "ADJ") for t in between[1:]):
            return True  # "Varsovie, premier client du K9, ..." (an apposition, however parsed)
        subjects = list(client.children)
        if client.head.lemma_.lower() in copular_verbs or among:
            # "est devenue ... le premier client du", "figure parmi les clients du"
            subjects += client.head.children
        if any(c.dep_.startswith("nsubj") and view.mention_at(c) == index for c in subjects):
            return True
        if among and client.head.dep_ == "acl" and view.mention_at(client.head.head) == index:
            return True  # "Le Kenya rejoint ... parmi les utilisateurs", the verb read as a modifier
        # "rejoint la Pologne et la Finlande parmi les utilisateurs du K9"
        return among and any(c.dep_ == "obj" and any(view.mention_at(t) == index for t in c.subtree)
                             for c in client.head.children)
    between = view.doc[client.i + 1:start]
    return any(t.text == ":" for t in between) or bracketed_count(view, index) is not None
