"""A group of statements (one deal, see merge.py) -> its deals.jsonl record.

Fields are described in SCHEMA.md's register section and schemas/deal.schema.json. A field
several sources give takes the value most of them give (ties: the first source in document
order); each disagreement is listed in `conflicts` with the values and who says which.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any, Callable, Iterable

from ..lexicons import country_names
from ..load import year_of
from .convert import convert
from .merge import deal_key
from .policy import RegisterPolicy
from .statements import Statement

TIMEX_CHAR = re.compile(r"[0-9X]")


def headline(values: Iterable[Any]) -> Any:
    """The value most often given (None ignored); ties: the first given."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    best = max(counts.values())
    return next(v for v in present if counts[v] == best)


def dates_agree(a: str, b: str) -> bool:
    """Two TIMEX3 values agree when one refines the other (`2014`/`2014-03`, `197X`/`1975`)."""
    for x, y in zip(a, b):
        if x != y and not (x == "X" and TIMEX_CHAR.match(y) or y == "X" and TIMEX_CHAR.match(x)):
            return False
    return True


def _disagree(name: str, values: list[Any]) -> bool:
    if name == "date":
        return any(not dates_agree(a, b) for i, a in enumerate(values) for b in values[i + 1:])
    return len(values) > 1


def _conflict(name: str, status: str | None, statements: list[Statement]) -> dict | None:
    said: dict[Any, list[str]] = {}
    for statement in statements:
        value = getattr(statement, name)
        if value is not None:
            said.setdefault(value, []).append(statement.relation_id)
    if not _disagree(name, list(said)):
        return None
    return {"attribute": name, "status": status,
            "values": [{"value": _plain(name, value), "sources": ids} for value, ids in said.items()]}


def conflicts_of(statements: list[Statement], policy: RegisterPolicy) -> list[dict]:
    """Each attribute on which the sources disagree (see register.yaml `within_status`)."""
    found = []
    statuses = sorted({s.status for s in statements if s.status}, key=policy.rank)
    for name in policy.within_status:
        for status in statuses:
            found.append(_conflict(name, status, [s for s in statements if s.status == status]))
    for name in policy.across_sources:
        found.append(_conflict(name, None, statements))
    return [c for c in found if c is not None]


def _plain(name: str, value: Any) -> Any:
    if name == "value" and value is not None:
        return {"amount": value[0], "currency": value[1]}
    return value


def _sorted_unique(values: Iterable[Any], key: Callable | None = None) -> list:
    return sorted({v for v in values if v is not None}, key=key)


def source_record(statement: Statement) -> dict:
    return {"doc_id": statement.doc_id, "relation_id": statement.relation_id,
            "status": statement.status, "date": statement.date, "year": statement.year,
            "quantity": statement.quantity, "value": _plain("value", statement.value),
            "evidence": statement.evidence}


def deal_date(statements: list[Statement], order_date: str | None) -> str | None:
    """The date a deal is valued at: its order date, else its earliest source with a year;
    without any year, the date it has (so that the conversion note names it)."""
    if year_of(order_date) is not None:
        return order_date
    dated = sorted((s.year, s.date) for s in statements if s.year is not None)
    if dated:
        return dated[0][1]
    return order_date or next((s.date for s in statements if s.date), None)


def deal_record(statements: list[Statement], policy: RegisterPolicy, deal_id: str) -> dict:
    names = country_names()
    first = statements[0]
    ordered = [s for s in statements if s.status in policy.order_stages]
    delivered = [s for s in statements if s.status in policy.delivery_stages]
    order_date = headline(s.date for s in ordered)
    value = headline(s.value for s in statements)
    amount, currency = value if value is not None else (None, None)
    conversion = convert(amount, currency, deal_date(statements, order_date), policy)
    supplier = headline(s.supplier_country for s in statements)
    recipient = headline(s.recipient_country for s in statements)
    return {
        "deal_id": deal_id,
        "supplier_country": supplier, "supplier_name": names.get(supplier),
        "supplier_organisations": _sorted_unique(s.supplier_org for s in statements),
        "recipient_country": recipient, "recipient_name": names.get(recipient),
        "recipient_organisations": _sorted_unique(s.recipient_org for s in statements),
        "weapon": first.weapon,
        "variants": _sorted_unique(s.variant for s in statements),
        "category": headline(s.category for s in statements),
        "manufacturer": headline(s.manufacturer for s in statements),
        "quantity_ordered": headline(s.quantity for s in ordered),
        "quantity_delivered": headline(s.quantity for s in delivered),
        "order_date": order_date,
        "order_year": year_of(order_date),
        "delivery_dates": _sorted_unique(s.date for s in delivered),
        "delivery_years": _sorted_unique(s.year for s in delivered),
        "value_amount": amount, "value_currency": currency,
        "value_usd": conversion.usd, "value_eur": conversion.eur,
        "value_rate_date": conversion.rate_date, "value_note": conversion.note,
        "status": max((s.status for s in statements), key=policy.rank),
        "n_documents": len({s.doc_id for s in statements}),
        "n_sources": len(statements),
        "sources": [source_record(s) for s in statements],
        "conflicts": conflicts_of(statements, policy),
    }


def _digest(parts: list[Any]) -> str:
    return "D" + hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def deal_ids(deals: list[list[Statement]]) -> list[str]:
    """A stable id per deal: a hash of its defining keys (supplier, recipient, weapon type,
    its earliest year); two deals with the same keys are told apart by their quantity, then by
    their first relation id. Adding an unrelated article never changes an id."""
    def base(group: list[Statement]) -> list[Any]:
        years = [s.year for s in group if s.year is not None]
        return [*deal_key(group[0]), min(years) if years else None]

    keys = [base(group) for group in deals]
    counts = Counter(json.dumps(k) for k in keys)
    for i, group in enumerate(deals):
        if counts[json.dumps(keys[i])] > 1:
            keys[i] = keys[i] + [headline(s.quantity for s in group)]
    counts = Counter(json.dumps(k) for k in keys)
    for i, group in enumerate(deals):
        if counts[json.dumps(keys[i])] > 1:
            keys[i] = keys[i] + [group[0].relation_id]
    return [_digest(k) for k in keys]
