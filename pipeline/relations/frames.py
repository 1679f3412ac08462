"""Deals at the document level: the statements of one transfer, made in several sentences,
become one relation.

A restatement (same recipient country and weapon, and no conflicting supplier country,
quantity or date) is merged into the statement of its batch (the one stated in its sentence
or in the sentence its anaphor points to, else at its stage, else the first), which keeps the most complete attributes; different deals
for the same weapon stay apart, and so do a deal still open at the article's date and one
done years before it. A side no sentence gives comes only through a frame: the deal of the
same system stated before or after, or a recent deal the statement continues.
"""
from __future__ import annotations

from ..normalize.dates import parse_dct
from .rules import RelationRules
from .transfers import (bracketed_count, cancelling_of_the_deal, coordinated_parties, deal_context, passing_deals,
                        sentence_transfers, signing_date, signing_of_the_deal)
from .view import DocView

# The stages of one batch, from the earliest to the latest: a merged relation keeps the latest.
# A statement with no recipient and no earlier statement of its weapon joins the deal stated
# this many sentences before at most.
RECENT_SENTENCES = 5
# A sentence saying the contract was signed (`La commande a été signée le 14 février`) speaks
# of the deal stated at most this many sentences before.
SIGNING_SENTENCES = 2
STAGE_RANK = {"alleged": 0, "negotiating": 1, "planned": 2, "ordered": 3, "delivered": 4, "cancelled": 5}


def document_transfers(view: DocView, rules: RelationRules) -> list[dict]:
    """The arms transfers of a document, one per weapon and batch."""
    statements: list[dict] = []
    contexts: list[dict] = []  # deals stated without their weapon, with their sentence
    waiting: list[dict] = []  # statements of a named system whose recipient no earlier sentence gives
    for s in range(len(view.sents)):
        found = sentence_transfers(view, rules, s)
        found += passing_deals(view, rules, s, last_named_system(view, statements, s))
        if not found and (context := deal_context(view, rules, s)) is not None:
            contexts.append({**context, "_sentence": s})
        if not found:
            sign_the_last_deal(view, rules, statements, s)
            date_the_signed_deal(view, rules, statements, s)
            cancel_the_last_deal(view, rules, statements + waiting, s)  # a deal whose buyer comes later too
        for statement in [c for st in found for c in with_coordinated_recipients(view, st)]:
            if statement["attrs"]["recipient_country"] == statement["attrs"]["supplier_country"] is not None:
                # a buyer read on the seller's side ("Berlin durcit le ton depuis l'échec des
                # pourparlers sur une commande de 30 Leopard 2": Berlin sells): not given here
                statement["args"].pop("recipient", None)
                statement["attrs"]["recipient_country"] = None
            if statement.pop("_part_of_deal", False):
                join_the_deal_it_is_part_of(statement, statements, s)
            if statement["attrs"]["recipient_country"] is None:
                take_recipient_from_frame(view, statement, statements + contexts, s)
            attrs = statement["attrs"]
            statement["_sentence"] = s
            statement["_headline"] = s == 0 and has_headline(view)
            if attrs["recipient_country"] is None and statement["weapon_key"] and not view.is_generic(
                    statement["args"]["weapon"]):
                waiting.append(statement)
            if attrs["recipient_country"] is None or attrs["recipient_country"] == attrs["supplier_country"]:
                continue
            statements.append(statement)
    statements += [w for w in waiting if take_recipient_from_later_statement(w, statements)]
    statements.sort(key=lambda st: st["_sentence"])  # stable: text order within a sentence
    name_generic_headline(view, statements)
    return merge_transfers(statements, publication_year(view))


def has_headline(view: DocView) -> bool:
    """The document opens with a headline: a first line of its own, without a final stop."""
    first_line, _, rest = view.sentence_index.text.strip().partition("\n")  # the doc's text
    return bool(rest.strip()) and not first_line.rstrip().endswith((".", "!", "?", "…", "»", '"'))


def name_generic_headline(view: DocView, statements: list[dict]) -> None:
    """`Washington approuve une vente de missiles à l'Arabie saoudite` (a headline), then `la
    vente de 3 000 missiles AGM-114 Hellfire à l'Arabie saoudite`: a headline's statement of a
    generic noun is the deal of the first named system of its category that the document
    states after it for the same recipient (and supplier). In the body, a generic statement
    stays its own (`des outils de surveillance` delivered years before a named spyware)."""
    for statement in statements:
        weapon = statement["args"]["weapon"]
        if not view.is_generic(weapon) or statement["_sentence"] != 0:
            continue
        category = view.norm(weapon).get("category")
        named = [st for st in statements if not view.is_generic(st["args"]["weapon"])
                 and st["attrs"]["recipient_country"] == statement["attrs"]["recipient_country"]
                 and statement["attrs"]["supplier_country"] in (None, st["attrs"]["supplier_country"])
                 and view.norm(st["args"]["weapon"]).get("category") == category]
        named = [st for st in named if st["_sentence"] > 0][:1]
        if named:
            statement["weapon_key"] = named[0]["weapon_key"]
            statement["args"]["weapon"] = named[0]["args"]["weapon"]
            statement["attrs"]["supplier_country"] = statement["attrs"]["supplier_country"] \
                or named[0]["attrs"]["supplier_country"]


def join_the_deal_it_is_part_of(statement: dict, statements: list[dict], s: int) -> None:
    """`Cette somme couvre, outre les HIMARS, la livraison de munitions, dont 18 ATACMS`: a
    statement of what the deal stated last (at most SIGNING_SENTENCES before) covers takes its
    stage, date, value and buyer."""
    last = last_deal(statements, s)
    if not last:
        return
    deal = last[-1]
    statement["attrs"]["status"] = deal["attrs"]["status"]
    for role in ("date", "value", "recipient"):
        if role in deal["args"]:
            statement["args"].setdefault(role, deal["args"][role])
    if statement["attrs"]["recipient_country"] is None:
        statement["attrs"]["recipient_country"] = deal["attrs"]["recipient_country"]
    statement["_dates"] = set(deal.get("_dates", ()))


def sign_the_last_deal(view: DocView, rules: RelationRules, statements: list[dict], s: int) -> None:
    """`La Bolivie a décidé d'acheter trois H145M. [...] La commande a été signée le 14
    février.`: the deals of the last sentence that stated one (at most SIGNING_SENTENCES
    before) are ordered, at the date the signing sentence gives."""
    last = last_deal(statements, s)
    signed, date = signing_of_the_deal(view, rules, s) if last else (False, None)
    if not signed:
        return
    money = view.in_sentence(s, ("MONEY",))
    for statement in last:
        if STAGE_RANK[statement["attrs"]["status"]] < STAGE_RANK["ordered"]:
            statement["attrs"]["status"] = "ordered"
            statement["args"].pop("date", None)
            statement["_dates"] = set()
        if date is not None and statement["attrs"]["status"] == "ordered":  # not a delivery's date
            give_date(view, statement, date)
        if len(money) == 1 and "value" not in statement["args"]:
            # "Le contrat, d'une valeur de 2 milliards de dollars, a été signé mardi"
            statement["args"]["value"] = money[0]
        statement["evidence"] = view.evidence(statement["evidence"]["sentence"], s)


def cancel_the_last_deal(view: DocView, rules: RelationRules, statements: list[dict], s: int) -> None:
    """`[...] une commande de 24 K2. [...] Lima a fait savoir lundi qu'elle rompait les
    discussions sur ce contrat`: the deals of the last sentence that
    stated one (at most RECENT_SENTENCES before), unless delivered, are called off, at the date
    the sentence gives."""
    last = last_deal(statements, s, RECENT_SENTENCES)
    cancelled, date = cancelling_of_the_deal(view, rules, s) if last else (False, None)
    if not cancelled:
        return
    for statement in last:
        if statement["attrs"]["status"] == "delivered":
            continue
        if statement["attrs"]["status"] != "cancelled":
            statement["attrs"]["status"] = "cancelled"
            statement["args"].pop("date", None)
            statement["_dates"] = set()
        if date is not None:
            give_date(view, statement, date)
        statement["evidence"] = view.evidence(statement["evidence"]["sentence"], s)


def date_the_signed_deal(view: DocView, rules: RelationRules, statements: list[dict], s: int) -> None:
    """`Lors de la cérémonie de signature, organisée à Bangkok le 3 février, le ministre a
    salué le choix du Gripen`: a sentence that states no deal but dates a signing gives that
    date to the undated orders of the systems it names (any sentence before), or, naming
    none, to the last deal stated (at most SIGNING_SENTENCES before)."""
    date = signing_date(view, rules, s)
    if date is None:
        return
    named = {view.norm(i).get("name") for i in view.in_sentence(s, ("WEAPON",))} - {None}
    deals = [st for st in statements if st["_sentence"] < s and st["weapon_key"] in named] if named \
        else last_deal(statements, s)
    for statement in deals:
        if statement["attrs"]["status"] == "ordered":
            give_date(view, statement, date)


def give_date(view: DocView, statement: dict, date: int) -> None:
    """The date mention `date` for a statement that has none."""
    if "date" not in statement["args"]:
        statement["args"]["date"] = date
        statement["_dates"] = {view.norm(date)["value"]}


def last_named_system(view: DocView, statements: list[dict], s: int) -> int | None:
    """The named system of the deal stated last (at most SIGNING_SENTENCES before), if any."""
    named = [st["args"]["weapon"] for st in last_deal(statements, s) if view.norm(st["args"]["weapon"]).get("name")]
    return named[-1] if named else None


def last_deal(statements: list[dict], s: int, within: int = SIGNING_SENTENCES) -> list[dict]:
    """The statements of the last sentence before `s` that stated a deal, if it is at most
    `within` sentences before."""
    last = max((st["_sentence"] for st in statements if st["_sentence"] < s), default=None)
    if last is None or last < s - within:
        return []
    return [st for st in statements if st["_sentence"] == last]


def take_recipient_from_later_statement(statement: dict, statements: list[dict]) -> bool:
    """`l'arrêt des discussions sur une commande de 30 Caracal` (no buyer
    named), then `l'achat d'hélicoptères ... par la Pologne`: a statement of a named system
    with no recipient belongs to the first later statement of that system that has one."""
    later = next((st for st in statements if st["_sentence"] > statement["_sentence"]
                  and st["weapon_key"] == statement["weapon_key"]
                  and st["attrs"]["recipient_country"] != statement["attrs"]["supplier_country"]), None)
    if later is None:
        return False
    if "recipient" in later["args"]:
        statement["args"]["recipient"] = later["args"]["recipient"]
    statement["attrs"]["recipient_country"] = later["attrs"]["recipient_country"]
    return True


def with_coordinated_recipients(view: DocView, statement: dict) -> list[dict]:
    """The statement, and one copy per party coordinated with its recipient (`des HIMARS à
    l'Estonie, la Lettonie et la Lituanie`), each with the count in brackets after it, if any
    (`la Hongrie (14), la Thaïlande (12)`)."""
    recipient = statement["args"].get("recipient")
    if recipient is None:
        return [statement]
    others = coordinated_parties(view, recipient)
    if not others:
        return [statement]
    out = []
    for party in sorted([recipient, *others], key=lambda i: view.mentions[i]["token_start"]):
        country = view.country_of(party)
        if country is None or country == statement["attrs"]["supplier_country"]:
            continue
        copy = {**statement, "args": {**statement["args"], "recipient": party},
                "attrs": {**statement["attrs"], "recipient_country": country}}
        if party != recipient:  # the count of the phrase is the first recipient's
            copy["attrs"]["quantity"] = None
        count = bracketed_count(view, party)
        if count is not None:
            copy["attrs"]["quantity"] = count
        out.append(copy)
    return out or [statement]


def take_recipient_from_frame(view: DocView, statement: dict, earlier: list[dict], s: int) -> None:
    """A statement that names no recipient belongs to the deal of the same weapon stated
    before (`le Danemark céderait aussi 19 F-16` after `l'Ukraine recevra des F-16`), else to
    a deal stated at most RECENT_SENTENCES before that it continues: a contract stated
    without its weapon, a deal for the same kind of system, or one with the same supplier.
    Never a deal whose recipient is this statement's supplier."""
    same_weapon = [e for e in earlier if e["weapon_key"] == statement["weapon_key"]]
    recent = [e for e in earlier if e["_sentence"] >= s - RECENT_SENTENCES and continues(view, e, statement)]
    for frame in (same_weapon, recent):
        if frame and frame[-1]["attrs"]["recipient_country"] != statement["attrs"]["supplier_country"]:
            source = frame[-1]
            recipient = source["args"].get("recipient")
            if recipient is not None:
                statement["args"]["recipient"] = recipient
            statement["attrs"]["recipient_country"] = source["attrs"]["recipient_country"]
            if statement["attrs"]["supplier_country"] is None:  # "un second lot de deux frégates"
                statement["attrs"]["supplier_country"] = source["attrs"]["supplier_country"]
            if source.get("signed") and statement["attrs"]["status"] == "planned":
                # "Naval Group a signé un contrat avec X. Il fournira quatre sous-marins"
                statement["attrs"]["status"] = "ordered"
            return


def continues(view: DocView, frame: dict, statement: dict) -> bool:
    """Whether a statement may continue an earlier deal (frame) it names no recipient for."""
    if "weapon" not in frame["args"]:
        return True  # a contract stated without its weapon
    supplier = statement["attrs"]["supplier_country"]
    return view.same_kind(frame["args"]["weapon"], statement["args"]["weapon"]) or (supplier is not None and supplier == frame["attrs"]["supplier_country"])


def publication_year(view: DocView) -> int | None:
    """The year of the document's date (`doc._.arms_source["dct"]`), if known."""
    return parse_dct(((view.doc._.arms_source or {}).get("dct") or {}).get("value"))[0]


def merge_transfers(relations: list[dict], year: int | None = None) -> list[dict]:
    """One relation per weapon and batch: a restatement is merged into the first statement,
    which takes the latest stage stated (with that stage's date) and the most complete
    attributes; statements whose quantities or dates say they are other batches stay apart."""
    merged: list[dict] = []
    for rel in relations:
        rel.pop("trigger")
        key = (rel["attrs"]["recipient_country"], rel.pop("weapon_key"))
        rel["_key"] = key
        candidates = [m for m in merged if m["_key"] == key and compatible(m, rel, year)]
        # of several batches it fits, the one stated in its sentence, else at its stage
        kept = min(candidates, key=lambda m: (not ({rel["_sentence"], rel.get("_refers_to")} & m["_sentences"]),
                                              m["attrs"]["status"] != rel["attrs"]["status"]), default=None)
        if kept is None:
            rel["_sentences"] = {rel["_sentence"]}
            merged.append(rel)
            continue
        absorb(kept, rel)
        kept["_sentences"].add(rel["_sentence"])
    for rel in merged:  # the statements' working keys (`_sentence`, `_dates`...) are not output
        for key in [key for key in rel if key.startswith("_")]:
            del rel[key]
    return merged


def absorb(kept: dict, rel: dict) -> None:
    """Merge statement `rel` into `kept`: the later stage and its date win; attributes and
    arguments that `kept` lacks are taken; the evidence spans both. A batch the document
    states once as an accusation or a denied claim stays `alleged` (SCHEMA.md: a transfer
    reported as an accusation), unless it is called off."""
    if "alleged" in (kept["attrs"]["status"], rel["attrs"]["status"]) and "cancelled" not in (
            kept["attrs"]["status"], rel["attrs"]["status"]):
        rel["attrs"]["status"] = kept["attrs"]["status"] = "alleged"
    # a headline gives the news in the present (`X se dote de Y`): the body's
    # statement of the deal says its stage
    if kept.get("_headline") and not rel.get("_headline"):
        kept["attrs"]["status"] = rel["attrs"]["status"]
        kept["args"].pop("date", None)
        if "date" in rel["args"]:
            kept["args"]["date"] = rel["args"]["date"]
        kept["_headline"] = False
    elif rel.get("_headline") and not kept.get("_headline"):
        rel["attrs"]["status"] = kept["attrs"]["status"]
    later = STAGE_RANK[rel["attrs"]["status"]] > STAGE_RANK[kept["attrs"]["status"]]
    earlier = STAGE_RANK[rel["attrs"]["status"]] < STAGE_RANK[kept["attrs"]["status"]]
    if later:  # SCHEMA.md: the latest stage, with that stage's date (none if it gives none)
        kept["attrs"]["status"] = rel["attrs"]["status"]
        kept["args"].pop("date", None)
        if "date" in rel["args"]:
            kept["args"]["date"] = rel["args"]["date"]
    for role, value in rel["args"].items():
        if not (role == "date" and earlier):  # the date of an earlier stage is not this stage's
            kept["args"].setdefault(role, value)
    if kept.get("_origin_supplier") and not rel.get("_origin_supplier") and rel["attrs"]["supplier_country"]:
        # `le Danemark a donné ses 19 Caesar` and `les premières pièces ont été remises`
        kept["attrs"]["supplier_country"] = rel["attrs"]["supplier_country"]
        kept["_origin_supplier"] = False
    for attr, value in rel["attrs"].items():
        if kept["attrs"].get(attr) is None and value is not None:
            kept["attrs"][attr] = value
    kept.setdefault("_dates", set()).update(rel.get("_dates", set()))
    kept["evidence"] = {"start": min(kept["evidence"]["start"], rel["evidence"]["start"]),
                        "end": max(kept["evidence"]["end"], rel["evidence"]["end"]),
                        "sentence": min(kept["evidence"]["sentence"], rel["evidence"]["sentence"])}


def compatible(a: dict, b: dict, year: int | None = None) -> bool:
    """Two statements of one batch: no supplier country (but one assumed from the system's
    origin) or quantity they both give differs,
    and, at the same stage, no date they both give; and not a deal still to be made (planned,
    negotiating) beside one done years before the article (`Lima discute l'achat de dix KF-21`
    and `le dernier appareil a été remis en 2016`: a second batch)."""
    if year is not None and (finished_before(a, year) and still_open(b, year) or finished_before(b, year) and still_open(a, year)):
        return False
    if another_batch(a, b) or another_batch(b, a):
        return False
    for attr in ("supplier_country", "quantity"):
        if attr == "supplier_country" and (a.get("_origin_supplier") or b.get("_origin_supplier")):
            continue  # a supplier only assumed from the system's origin yields to one named
        if a["attrs"].get(attr) is not None and b["attrs"].get(attr) is not None \
                and a["attrs"][attr] != b["attrs"][attr]:
            return False
    if a["attrs"]["quantity"] is not None and a["attrs"]["quantity"] == b["attrs"]["quantity"]:
        return True  # the same count: the same batch at another stage
    same_stage = a["attrs"]["status"] == b["attrs"]["status"]
    return not (same_stage and a.get("_dates") and b.get("_dates") and not a["_dates"] & b["_dates"])


def years_of(statement: dict) -> list[int]:
    return [int(d[:4]) for d in statement.get("_dates", ()) if d[:4].isdigit()]


def still_open(statement: dict, year: int) -> bool:
    """A deal planned or negotiated at the time of the article (not dated years before it)."""
    return statement["attrs"]["status"] in ("negotiating", "planned") \
        and all(y >= year - 1 for y in years_of(statement))


def finished_before(statement: dict, year: int) -> bool:
    """An order or delivery dated at least two years before `year`."""
    years = years_of(statement)
    return statement["attrs"]["status"] in ("ordered", "delivered") and bool(years) and max(years) <= year - 2


def another_batch(kept: dict, statement: dict) -> bool:
    """The statement is another batch than `kept`: a part with its own count at another stage
    (`un premier lot de quatre canons est arrivé` after the order), or one stated as
    additional in another sentence (`des quantités supplémentaires`)."""
    marks = statement.get("_batch", frozenset())
    if "part" in marks and statement["attrs"]["quantity"] is not None \
            and statement["attrs"]["status"] != kept["attrs"]["status"]:
        return True
    return "additional" in marks and statement["_sentence"] not in kept.get("_sentences", {kept["_sentence"]})
