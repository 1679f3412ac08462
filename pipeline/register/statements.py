"""arms_transfer relations (+ their entity mentions and document texts) -> `Statement`s.

A statement is one relation of relations.jsonl with what the register needs resolved to
values: the states and organisations of each side, the weapon's type, variant, category and
manufacturer, quantity, stage, date, value and the evidence sentence's text. It knows nothing
of other statements; pipeline/register/merge.py groups them into deals.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..load import span_text, year_of


@dataclass(frozen=True)
class Statement:
    doc_id: str
    relation_id: str
    supplier_country: str | None
    recipient_country: str | None
    supplier_org: str | None        # canonical name when the supplier argument is an ORG
    recipient_org: str | None
    weapon: str | None              # the type (WEAPON norm `name`); None for a category only
    variant: str | None
    category: str | None
    manufacturer: str | None
    status: str | None
    date: str | None                # TIMEX3 value
    quantity: int | None
    value_amount: float | int | None
    value_currency: str | None
    evidence: str | None            # the evidence sentence(s) as text, None when unreadable

    @property
    def year(self) -> int | None:
        return year_of(self.date)

    @property
    def order_key(self) -> tuple[str, int, str]:
        """Document order: doc_id, then the relation's number (`:R10` after `:R9`)."""
        number = self.relation_id.rsplit(":R", 1)[-1]
        return (self.doc_id, int(number) if number.isdigit() else 0, self.relation_id)

    @property
    def value(self) -> tuple[float | int, str] | None:
        if self.value_amount is None or self.value_currency is None:
            return None
        return (self.value_amount, self.value_currency)


def _norm(entities: Mapping[str, dict], entity_id: Any) -> dict:
    entity = entities.get(entity_id) if isinstance(entity_id, str) else None
    return (entity or {}).get("norm") or {}


def _org(entities: Mapping[str, dict], entity_id: Any) -> str | None:
    entity = entities.get(entity_id) if isinstance(entity_id, str) else None
    if not entity or entity.get("label") != "ORG":
        return None
    return (entity.get("norm") or {}).get("name") or entity.get("text")


def _quantity(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def statement_of(relation: dict, entities: Mapping[str, dict], text: str | None) -> Statement:
    """The statement of one arms_transfer relation record; `entities` by id, `text` the
    document's text (None when it cannot be read: the evidence is then None)."""
    args = relation.get("args") or {}
    attrs = relation.get("attrs") or {}
    weapon, money, date = (_norm(entities, args.get(role)) for role in ("weapon", "value", "date"))
    evidence = relation.get("evidence") or {}
    return Statement(
        doc_id=relation["doc_id"], relation_id=relation["id"],
        supplier_country=attrs.get("supplier_country"), recipient_country=attrs.get("recipient_country"),
        supplier_org=_org(entities, args.get("supplier")), recipient_org=_org(entities, args.get("recipient")),
        weapon=weapon.get("name"), variant=weapon.get("variant"), category=weapon.get("category"),
        manufacturer=weapon.get("manufacturer"), status=attrs.get("status"), date=date.get("value"),
        quantity=_quantity(attrs.get("quantity")), value_amount=money.get("amount"),
        value_currency=money.get("currency"),
        evidence=span_text(text, evidence.get("start"), evidence.get("end")))


def statements_of(relations: Iterable[dict], entities: Mapping[str, dict],
                  texts: Mapping[str, str | None]) -> list[Statement]:
    """The statements of every arms_transfer relation among `relations`."""
    return [statement_of(r, entities, texts.get(r.get("doc_id")))
            for r in relations if r.get("type") == "arms_transfer"]
