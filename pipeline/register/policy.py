"""rules/register.yaml as a typed, frozen `RegisterPolicy`, checked at load.

A malformed file stops the load with a `RuleError` naming the key and the problem (an unknown
or missing key, a status outside SCHEMA.md's list, a negative threshold, an example whose
statement does not parse or whose answer is missing).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import STATUSES
from ..lexicons import RuleError, check_keys, read_yaml, rules_path

KEYS = {"max_years_apart", "status_order", "order_stages", "delivery_stages", "within_status",
        "across_sources", "rate_day_of_year", "rate_day_of_month", "examples"}
COMPARABLE = ("date", "quantity", "value", "manufacturer")
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


@dataclass(frozen=True)
class Example:
    """A merge example: statements (`DOC SUPPLIER RECIPIENT WEAPON STATUS DATE QUANTITY`)
    and the deals they must give, as groups of statement numbers (from 1)."""
    name: str
    statements: tuple[str, ...]
    deals: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class RegisterPolicy:
    max_years_apart: int
    status_order: tuple[str, ...]     # last = latest stage
    order_stages: frozenset[str]
    delivery_stages: frozenset[str]
    within_status: tuple[str, ...]    # attributes compared between sources of one status
    across_sources: tuple[str, ...]   # attributes compared between all sources
    rate_day_of_year: str             # MM-DD at which a year-only date is converted
    rate_day_of_month: int            # day at which a month-only date is converted
    examples: tuple[Example, ...]

    def rank(self, status: str | None) -> int:
        """Position of a status in `status_order` (-1 for none or unknown)."""
        return self.status_order.index(status) if status in self.status_order else -1


def _statuses(data: dict, key: str, where: str) -> tuple[str, ...]:
    values = data[key]
    if not isinstance(values, list) or not values:
        raise RuleError(f"{where}: {key}: expected a non-empty list of statuses")
    unknown = [v for v in values if v not in STATUSES]
    if unknown:
        raise RuleError(f"{where}: {key}: unknown status(es) {unknown}; SCHEMA.md's are {list(STATUSES)}")
    return tuple(values)


def _attributes(data: dict, key: str, where: str) -> tuple[str, ...]:
    values = data[key]
    if not isinstance(values, list) or any(v not in COMPARABLE for v in values):
        raise RuleError(f"{where}: {key}: expected a list of {list(COMPARABLE)}, got {values!r}")
    return tuple(values)


def _example(entry: dict, where: str) -> Example:
    check_keys(entry, {"name", "statements", "deals"}, {"name", "statements", "deals"}, where)
    statements = tuple(entry["statements"])
    for line in statements:
        if len(str(line).split()) != 7:
            raise RuleError(f"{where} {entry['name']!r}: statement {line!r}: expected 7 fields "
                            "DOC SUPPLIER RECIPIENT WEAPON STATUS DATE QUANTITY")
    deals = tuple(tuple(group) for group in entry["deals"])
    numbers = sorted(n for group in deals for n in group)
    if numbers != list(range(1, len(statements) + 1)):
        raise RuleError(f"{where} {entry['name']!r}: deals must use each statement number once")
    return Example(entry["name"], statements, deals)


@functools.lru_cache(maxsize=4)
def load_policy(rules_dir: Path | None = None) -> RegisterPolicy:
    path = rules_path("register.yaml", rules_dir=rules_dir)
    where = path.name
    data = read_yaml(path)
    check_keys(data, KEYS, KEYS - {"examples"}, where)
    years = data["max_years_apart"]
    if not isinstance(years, int) or isinstance(years, bool) or years < 0:
        raise RuleError(f"{where}: max_years_apart: expected a whole number of years >= 0, got {years!r}")
    order = _statuses(data, "status_order", where)
    if sorted(order) != sorted(STATUSES):
        raise RuleError(f"{where}: status_order must list each of {list(STATUSES)} once")
    day_of_year = str(data["rate_day_of_year"])
    if not MONTH_DAY.match(day_of_year):
        raise RuleError(f"{where}: rate_day_of_year: expected MM-DD, got {day_of_year!r}")
    day = data["rate_day_of_month"]
    if not isinstance(day, int) or not 1 <= day <= 28:
        raise RuleError(f"{where}: rate_day_of_month: expected a day from 1 to 28, got {day!r}")
    return RegisterPolicy(
        max_years_apart=years, status_order=order,
        order_stages=frozenset(_statuses(data, "order_stages", where)),
        delivery_stages=frozenset(_statuses(data, "delivery_stages", where)),
        within_status=_attributes(data, "within_status", where),
        across_sources=_attributes(data, "across_sources", where),
        rate_day_of_year=day_of_year, rate_day_of_month=day,
        examples=tuple(_example(e, f"{where} examples") for e in data.get("examples") or []))
