"""Published statements about a round, and how each compares with the figure worked out from the data.

The statements live in data/published_figures.csv, each with its source and exact words, the figure it states,
how to read it (`comparison`), the computed figure to compare it with (`computed`: a headline key, or
table.row.column), and a plain reason to show when they differ. Nothing is forced to match: both numbers are
shown, with the result and the reason.

Comparisons:
  equal           the same count, or the same "a of b" (published_value a/b against a share)
  about           within `tolerance`: per cent of the published amount or count, or percentage points of a share
  more_than       "over X": the computed figure is more than X
  rounds_to       "88%": the computed share rounds (half up) to that whole percentage
  all             "all of them": the computed share is all of its whole
  not_comparable  the list cannot tell (shown with the reason)
`unknown` optionally names a count of organisations whose sector or size is not recorded: when knowing them
could change the answer, the result is "not known" rather than "differs".
"""

import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_framework.core.money import format_pence
from dynamic_framework.core.reference_data import ReferenceDataError, read_rows

from .figures import COUNT, PENCE, SHARE, as_json, display

PUBLISHED_FILE = Path(__file__).resolve().parent / "data" / "published_figures.csv"
COLUMNS = [
    "key",
    "round",
    "source",
    "published_text",
    "quote",
    "published_value",
    "unit",
    "comparison",
    "tolerance",
    "computed",
    "unknown",
    "note",
    "why_may_differ",
]
UNITS = {"pounds", "count", "percent", "share"}
COMPARISONS = {"equal", "about", "more_than", "rounds_to", "all", "not_comparable"}

MATCHES, CONSISTENT, DIFFERS, NOT_KNOWN, NOT_COMPARABLE = (
    "matches",
    "consistent",
    "differs",
    "not_known",
    "not_comparable",
)
STATUS_LABELS = {
    MATCHES: gettext_lazy("Matches"),
    CONSISTENT: gettext_lazy("Consistent"),
    DIFFERS: gettext_lazy("Differs"),
    NOT_KNOWN: gettext_lazy("Cannot tell yet"),
    NOT_COMPARABLE: gettext_lazy("Not in the list"),
}
STATUS_EXPLAINED = {
    MATCHES: gettext_lazy("the same number"),
    CONSISTENT: gettext_lazy("agrees with the words used ('over', 'about', a rounded percentage)"),
    DIFFERS: gettext_lazy("the numbers differ; the reason is given"),
    NOT_KNOWN: gettext_lazy("the answer depends on facts not recorded yet"),
    NOT_COMPARABLE: gettext_lazy("the data cannot show this figure"),
}


@dataclass(frozen=True)
class Statement:
    key: str
    round: str
    source: str
    published_text: str
    quote: str
    value: Fraction
    unit: str
    comparison: str
    tolerance: Fraction
    computed: str
    unknown: str
    note: str
    why_may_differ: str


@dataclass
class Comparison:
    statement: Statement
    value: object  # the computed figure (None when not known)
    unit: str
    contracts: str | None
    status: str
    unknown: int | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def computed_text(self) -> str:
        if self.value is None:
            return _("not known")
        if self.unit == SHARE:
            share = self.value
            if self.statement.unit == "share" and self.statement.value.denominator > 1:
                return _("%(part)s of %(whole)s (%(percent)s)") % {
                    "part": share.numerator,
                    "whole": share.denominator,
                    "percent": share,
                }
            return str(share)
        if self.unit == PENCE:
            return format_pence(self.value)
        return display(self.value, self.unit)

    @property
    def reason(self) -> str:
        """Why they differ: shown unless the figures match or agree."""
        return "" if self.status in (MATCHES, CONSISTENT) else self.statement.why_may_differ

    def as_json(self) -> dict:
        s = self.statement
        return {
            "key": s.key,
            "source": s.source,
            "quote": s.quote,
            "published": s.published_text,
            "computed": as_json(self.value, self.unit),
            "computed_text": self.computed_text,
            "computed_figure": s.computed,
            "contracts": self.contracts,
            "status": self.status,
            "note": s.note,
            "why_they_differ": self.reason,
        }


def _fraction(text: str) -> Fraction:
    return Fraction(text)  # "195000000", "2/3", "88"


@functools.lru_cache(maxsize=4)
def load(path: Path = PUBLISHED_FILE) -> tuple[Statement, ...]:
    """The statements in the file, checked whole: a bad row refuses the file with its line and reason."""
    out, seen = [], set()
    for line, row in read_rows(path, COLUMNS):
        key = row["key"]
        if not key or key in seen:
            raise ReferenceDataError(path, line, f"key {key!r} is empty or repeated")
        seen.add(key)
        if row["unit"] not in UNITS:
            raise ReferenceDataError(path, line, f"unit {row['unit']!r} is not one of {', '.join(sorted(UNITS))}")
        if row["comparison"] not in COMPARISONS:
            raise ReferenceDataError(
                path, line, f"comparison {row['comparison']!r} is not one of {sorted(COMPARISONS)}"
            )
        try:
            value = _fraction(row["published_value"])
            tolerance = _fraction(row["tolerance"]) if row["tolerance"] else Fraction(0)
        except (ValueError, ZeroDivisionError) as exc:
            raise ReferenceDataError(path, line, f"published_value or tolerance is not a number ({exc})") from exc
        if row["comparison"] == "about" and not tolerance:
            raise ReferenceDataError(path, line, "an 'about' comparison needs a tolerance")
        if not row["computed"] or not row["quote"] or not row["source"]:
            raise ReferenceDataError(path, line, "source, quote and computed are required")
        if row["comparison"] == "rounds_to" and row["unit"] != "percent":
            raise ReferenceDataError(path, line, "rounds_to compares a percentage")
        if row["comparison"] == "all" and row["unit"] != "share":
            raise ReferenceDataError(path, line, "all compares a share")
        if row["comparison"] != "equal" and not row["why_may_differ"] and row["comparison"] == "not_comparable":
            raise ReferenceDataError(path, line, "say why the list cannot show this (why_may_differ)")
        out.append(
            Statement(
                key=key,
                round=row["round"],
                source=row["source"],
                published_text=row["published_text"],
                quote=row["quote"],
                value=value,
                unit=row["unit"],
                comparison=row["comparison"],
                tolerance=tolerance,
                computed=row["computed"],
                unknown=row["unknown"],
                note=row["note"],
                why_may_differ=row["why_may_differ"],
            )
        )
    return tuple(out)


def _number(value, unit: str) -> Fraction:
    """The computed figure in the statement's terms: pounds for money, a fraction for shares."""
    if unit == PENCE:
        return Fraction(value, 100)
    if unit == SHARE:
        return value.fraction
    return Fraction(value)


def status(statement: Statement, value, unit: str, unknown: int | None = None) -> str:
    """How the computed figure compares with the statement."""
    how = statement.comparison
    if how == "not_comparable":
        return NOT_COMPARABLE
    if value is None or (unit == SHARE and not value.known):
        return NOT_KNOWN
    published = statement.value
    computed = _number(value, unit)
    unknown = unknown or 0
    if how == "equal":
        if unit == SHARE and statement.unit == "share":
            same = (value.numerator, value.denominator) == (published.numerator, published.denominator)
        else:
            same = computed == published
        if same:
            return MATCHES
        if unknown and unit == COUNT and computed <= published <= computed + unknown:
            return NOT_KNOWN
        return DIFFERS
    if how == "about":
        if unit == SHARE:
            close = abs(computed - published) * 100 <= statement.tolerance
        else:
            close = abs(computed - published) * 100 <= statement.tolerance * published
        return CONSISTENT if close else DIFFERS
    if how == "more_than":
        if computed > published:
            return CONSISTENT
        if unknown and unit == SHARE and Fraction(value.numerator + unknown, value.denominator) > published:
            return NOT_KNOWN
        return DIFFERS
    if how == "rounds_to":
        return MATCHES if value.percent(0) == published else DIFFERS
    if how == "all":
        return MATCHES if value.numerator == value.denominator else DIFFERS
    raise ValueError(how)  # pragma: no cover - refused when the file is read


def compare(statement: Statement, analysis) -> Comparison:
    try:
        value, unit, contracts = analysis.lookup(statement.computed)
    except KeyError:
        return Comparison(statement, None, COUNT, None, NOT_KNOWN)
    unknown = None
    if statement.unknown:
        try:
            unknown = analysis.lookup(statement.unknown)[0]
        except KeyError:
            unknown = None
    return Comparison(statement, value, unit, contracts, status(statement, value, unit, unknown), unknown)


def attach(analysis, path: Path = PUBLISHED_FILE) -> None:
    """Compare the round's published statements with the analysis, when it covers the whole round."""
    statements = [s for s in load(path) if s.round == analysis.selection.round.slug]
    if not statements:
        return
    if analysis.selection.filtered:
        analysis.published_note = _(
            "Published figures describe the whole round: clear the filters to compare them with the data."
        )
        return
    analysis.published = [compare(s, analysis) for s in statements]
