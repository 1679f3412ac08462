"""Statements -> groups of statements, one group per deal (the policy of rules/register.yaml).

`merge(statements, policy)` returns the deals as lists of statements, each in document order,
the deals ordered by their first statement; same statements, same groups, whatever their order.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .policy import RegisterPolicy
from .statements import Statement

DealKey = tuple[str | None, str | None, str]


def side_key(country: str | None, org: str | None) -> str | None:
    """A side is its state; without one, its organisation (`org:Name`); else unknown."""
    if country:
        return country
    return f"org:{org}" if org else None


def weapon_key(statement: Statement) -> str:
    """The weapon type; unnamed equipment is its category within its own document."""
    if statement.weapon:
        return statement.weapon
    return f"category:{statement.category}@{statement.doc_id}"


def deal_key(statement: Statement) -> DealKey:
    return (side_key(statement.supplier_country, statement.supplier_org),
            side_key(statement.recipient_country, statement.recipient_org),
            weapon_key(statement))


def _years_fit(statement: Statement, batch: list[Statement], max_apart: int) -> bool:
    year = statement.year
    return year is None or all(abs(year - other.year) <= max_apart
                               for other in batch if other.year is not None)


def _quantities_fit(statement: Statement, batch: list[Statement]) -> bool:
    """No statement of the batch from the same document gives another quantity."""
    if statement.quantity is None:
        return True
    return all(other.doc_id != statement.doc_id or other.quantity in (None, statement.quantity)
               for other in batch)


def split_batches(candidates: list[Statement], policy: RegisterPolicy) -> list[list[Statement]]:
    """Candidates of one key (supplier, recipient, weapon) -> batches (see register.yaml)."""
    ordered = sorted(candidates, key=lambda s: (s.year is None, s.year or 0, s.order_key))
    batches: list[list[Statement]] = []
    for statement in ordered:
        fitting = [b for b in batches
                   if _years_fit(statement, b, policy.max_years_apart) and _quantities_fit(statement, b)]
        if statement.year is None and len(fitting) > 1:
            fitting = []  # undated, several candidate batches: its own deal
        if fitting:
            fitting[0].append(statement)
        else:
            batches.append([statement])
    return [sorted(batch, key=lambda s: s.order_key) for batch in batches]


def merge(statements: Iterable[Statement], policy: RegisterPolicy) -> list[list[Statement]]:
    """The deals, as groups of statements."""
    by_key: dict[DealKey, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_key[deal_key(statement)].append(statement)
    deals = [batch for key in by_key for batch in split_batches(by_key[key], policy)]
    return sorted(deals, key=lambda batch: batch[0].order_key)
