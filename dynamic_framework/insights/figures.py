"""The building blocks of the analysis: exact shares, the Herfindahl-Hirschman index, figures, tables and the
sets of contracts behind each figure. Nothing here touches the database.

Rounding (see docs/adr/0007-insights-values-and-rounding.md): shares are kept as exact fractions (numerator and
denominator) and rounded only for display, half up: to whole percentages on pages and in text, to one decimal
place in the API, JSON and CSV. The HHI is worked out exactly from pence and rounded half up to a whole number.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dynamic_framework.core.money import format_pence
from dynamic_framework.core.time import format_uk_date


def round_half_up(value: Fraction, places: int = 0) -> Decimal:
    """Round an exact (non-negative) fraction half up to `places` decimal places."""
    scale = 10**places
    scaled = value * scale
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(whole).scaleb(-places) if places else Decimal(whole)


@dataclass(frozen=True)
class Share:
    """`numerator` out of `denominator`, kept exact. A share of nothing (denominator 0) is unknown."""

    numerator: int
    denominator: int

    @property
    def known(self) -> bool:
        return self.denominator > 0

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def percent(self, places: int = 0) -> Decimal | None:
        """The percentage, rounded half up: percent() for pages, percent(1) for downloads and the API."""
        if not self.denominator:
            return None
        return round_half_up(Fraction(100 * self.numerator, self.denominator), places)

    def __str__(self) -> str:
        value = self.percent()
        return "" if value is None else f"{value}%"

    def as_json(self) -> dict:
        value = self.percent(1)
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": None if value is None else str(value),
        }


def hhi(values) -> int | None:
    """The Herfindahl-Hirschman index of `values` (each provider's value, in pence): the sum of the squares of
    each provider's share in percentage points, 0 to 10,000, rounded half up. None when there is no value."""
    values = [v for v in values if v]
    total = sum(values)
    if not total:
        return None
    return int(round_half_up(Fraction(10_000 * sum(v * v for v in values), total * total)))


def top_share(values, n: int = 5) -> Share:
    """The share of the total held by the `n` largest values."""
    values = sorted((v for v in values if v), reverse=True)
    return Share(sum(values[:n]), sum(values))


def short_money(pence: int) -> str:
    """Headline money: '£196.1m', '£82.0m' (always one decimal place in millions), '£545k', '£900'."""
    pounds = Fraction(int(pence), 100)
    if abs(pounds) >= 1_000_000:
        return f"£{round_half_up(pounds / 1_000_000, 1)}m"
    if abs(pounds) >= 1_000:
        return f"£{round_half_up(pounds / 1_000)}k"
    return format_pence(pence)


# Units of a figure: how it is shown and exported.
COUNT, PENCE, SHARE, HHI, TEXT, DATE, LIST = "count", "pence", "share", "hhi", "text", "date", "list"


def display(value: Any, unit: str, *, short: bool = False) -> str:
    """A value as shown on pages and in text output (`short`: money as '£82.0m')."""
    if value is None:
        return ""
    if unit == PENCE:
        return short_money(value) if short else format_pence(value)
    if unit == SHARE:
        return str(value)
    if unit in (COUNT, HHI):
        return f"{value:,}"
    if unit == DATE:
        return format_uk_date(value) if isinstance(value, date) else str(value)
    if unit == LIST:
        return "; ".join(str(v) for v in value)
    return str(value)


def export(value: Any, unit: str) -> str:
    """A value as written to CSV: pounds with pence, percentages to one decimal place, ISO dates."""
    if value is None:
        return ""
    if unit == PENCE:
        return f"{Decimal(int(value)).scaleb(-2):.2f}"
    if unit == SHARE:
        percent = value.percent(1)
        return "" if percent is None else str(percent)
    if unit == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if unit == LIST:
        return "; ".join(str(v) for v in value)
    return str(value)


def as_json(value: Any, unit: str) -> Any:
    if value is None:
        return None
    if unit == SHARE:
        return value.as_json()
    if unit == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if unit == LIST:
        return [str(v) for v in value]
    if unit == TEXT:
        return str(value)
    return value


@dataclass
class Figure:
    """One headline number, with the key of the set of contracts behind it."""

    key: str
    label: str
    value: Any
    unit: str = COUNT
    contracts: str | None = None
    note: str = ""

    def display(self, *, short: bool = True) -> str:
        return display(self.value, self.unit, short=short)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = COUNT

    @property
    def numeric(self) -> bool:
        return self.unit in (COUNT, PENCE, SHARE, HHI)

    @property
    def csv_label(self) -> str:
        suffix = {PENCE: " (£)", SHARE: " (%)"}.get(self.unit, "")
        return f"{self.label}{suffix}"


@dataclass
class Cell:
    value: Any
    contracts: str | None = None  # the key of the contract set behind this number, if any
    unit: str | None = None  # when it differs from the column's (tables of mixed figures)


@dataclass
class Row:
    key: str
    cells: dict[str, Cell]
    total: bool = False  # a totals row (shown in bold)


@dataclass
class Bar:
    label: str
    value: int | float | Fraction
    text: str  # the value as shown next to the bar


@dataclass
class Chart:
    kind: str  # "bar" or "timeline"
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    max_value: int | float | None = None
    events: list[tuple[date, int, str]] = field(default_factory=list)  # timeline: (date, count, label)


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    summary: str = ""
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)
    empty_text: str = ""

    def add(self, row_key: str, /, *, total_row: bool = False, **cells) -> Row:
        row = Row(row_key, {k: c if isinstance(c, Cell) else Cell(c) for k, c in cells.items()}, total_row)
        self.rows.append(row)
        return row

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.slug} has no row {key!r}")

    def cell(self, row_key: str, column_key: str) -> Cell:
        return self.row(row_key).cells[column_key]

    def value(self, row_key: str, column_key: str):
        return self.cell(row_key, column_key).value

    def unit(self, cell: Cell, column: Column) -> str:
        return cell.unit or column.unit

    def csv_rows(self) -> list[list[str]]:
        out = [[c.csv_label for c in self.columns]]
        for row in self.rows:
            out.append(
                [
                    export(row.cells[c.key].value, self.unit(row.cells[c.key], c)) if c.key in row.cells else ""
                    for c in self.columns
                ]
            )
        return out

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "summary": self.summary,
            "notes": list(self.notes),
            "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in self.columns],
            "rows": [
                {
                    "key": row.key,
                    "total": row.total,
                    "cells": {
                        key: {
                            "value": as_json(cell.value, cell.unit or self._column(key).unit),
                            **({"unit": cell.unit} if cell.unit else {}),
                            "contracts": cell.contracts,
                        }
                        for key, cell in row.cells.items()
                    },
                }
                for row in self.rows
            ],
        }

    def _column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class ContractSet:
    """The contracts behind a figure: what `?metric=<key>` lists."""

    key: str
    label: str
    ids: list[int]
    references: list[str]

    def __len__(self) -> int:
        return len(self.ids)
