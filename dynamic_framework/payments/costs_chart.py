"""The cost check's chart: surplus or shortfall per year as bars either side of a line (inline SVG, no JavaScript).

Drawn like the insights charts (dynamic_framework/insights/charts.py): an <svg role="img"> with a title and a
description, text written beside each bar (so nothing relies on colour), and always followed on the page by the
table of the same figures.
"""

from fractions import Fraction

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from dynamic_framework.core.money import format_pence
from dynamic_framework.insights.charts import AXIS, BAR, BAR_HEIGHT, ROW, _open, _pct

SHORTFALL = "#d4351c"  # GOV.UK red: 4.5:1 against white; the bar's words say "shortfall" too
MIDDLE = Fraction(50)
SPACE = Fraction(30)  # percentage of the width the longest bar may take on each side


def surplus_chart(chart_id: str, title: str, description: str, result) -> Markup:
    top = max([abs(y.surplus_pence) for y in result.years] + [1])
    height = ROW * len(result.years) + 8
    out = _open(chart_id, title, description, height)
    for i, year in enumerate(result.years):
        y = i * ROW
        amount = year.surplus_pence
        width = SPACE * Fraction(abs(amount), top)
        if amount < 0:
            text = f"{year.label}: " + str(_("shortfall")) + f" {format_pence(-amount)}"
            x = MIDDLE - width
            colour = SHORTFALL
        else:
            text = f"{year.label}: " + str(_("surplus")) + f" {format_pence(amount)}"
            x = MIDDLE
            colour = BAR
        out.append(f'<text x="0" y="{y + 18}">{escape(text)}</text>')
        out.append(
            f'<rect x="{_pct(x)}" y="{y + 26}" width="{_pct(width)}" height="{BAR_HEIGHT}" fill="{colour}"></rect>'
        )
    out.append(f'<line x1="50%" y1="22" x2="50%" y2="{height}" stroke="{AXIS}" stroke-width="2"></line>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every piece of text in it is escaped above
