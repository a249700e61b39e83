"""The cost check's chart: for each year, the surplus or shortfall for the contracted people and for everyone the
organisation expects to support, as bars either side of a line (inline SVG, no JavaScript).

Drawn like the insights charts (dynamic_framework/insights/charts.py): an <svg role="img"> with a title and a
description, the figure written above each bar in words ("surplus" or "shortfall"), so nothing relies on colour, and
always followed on the page by the table of the same figures.
"""

from fractions import Fraction

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from dynamic_framework.core.money import format_pence
from dynamic_framework.insights.charts import AXIS, BAR, BAR_HEIGHT, ROW, _open, _pct

SHORTFALL = "#d4351c"  # GOV.UK red: 4.5:1 against white; the words say "shortfall" too
MIDDLE = Fraction(50)
SPACE = Fraction(45)  # percentage of the width the longest bar may take on each side


def _words(amount: int) -> str:
    if amount < 0:
        return _("shortfall %(amount)s") % {"amount": format_pence(-amount)}
    return _("surplus %(amount)s") % {"amount": format_pence(amount)}


def surplus_chart(chart_id: str, title: str, description: str, result) -> Markup:
    bars = []
    for year in result.years:
        bars.append((_("%(year)s, contracted people") % {"year": year.label}, year.surplus_pence))
        bars.append((_("%(year)s, everyone you expect") % {"year": year.label}, year.surplus_expected_pence))
    top = max([abs(amount) for _label, amount in bars] + [1])
    height = ROW * len(bars) + 8
    out = _open(chart_id, title, description, height)
    for i, (label, amount) in enumerate(bars):
        y = i * ROW
        width = SPACE * Fraction(abs(amount), top)
        x = MIDDLE - width if amount < 0 else MIDDLE
        colour = SHORTFALL if amount < 0 else BAR
        out.append(f'<text x="0" y="{y + 18}">{escape(label)}: {escape(_words(amount))}</text>')
        out.append(
            f'<rect x="{_pct(x)}" y="{y + 26}" width="{_pct(width)}" height="{BAR_HEIGHT}" fill="{colour}"></rect>'
        )
    out.append(f'<line x1="50%" y1="22" x2="50%" y2="{height}" stroke="{AXIS}" stroke-width="2"></line>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every piece of text in it is escaped above
