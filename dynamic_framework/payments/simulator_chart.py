"""The simulator's chart of the expected, good and bad years: inline SVG drawn on the server, as the insights charts
(dynamic_framework/insights/charts.py: role="img" named by its title and described by its desc, GOV.UK colours,
each value written beside its bar so nothing relies on colour), always followed on the page by its data table.

One group of bars for each year: what the lead provider receives, what each subcontractor is paid, what the lead
provider keeps. What the lead provider keeps can be less than nothing (protected fees are paid whatever it
receives): such a bar goes left of the zero line, in GOV.UK red, and its value is written with a minus sign.
"""

from fractions import Fraction

from markupsafe import Markup, escape

from dynamic_framework.core.money import format_pence
from dynamic_framework.insights.charts import AXIS, BAR, BAR_HEIGHT, BAR_SPACE, FONT, FONT_SIZE, TEXT, _pct

LOSS = "#d4351c"  # GOV.UK red: 4.5:1 against white
GROUP_TITLE = 30
ROW = 52


def years_chart(chart_id: str, title: str, description: str, labels, rows) -> Markup:
    """labels: the years' names; rows: (series label, (pence for each year)) as simulator.year_table gives."""
    values = [value for _label, per_year in rows for value in per_year]
    top = Fraction(max([*values, 0]))
    bottom = Fraction(-min([*values, 0]))
    span = (top + bottom) or Fraction(1)
    zero = BAR_SPACE * bottom / span  # percentage of the width left of the zero line
    height = len(labels) * (GROUP_TITLE + ROW * len(rows)) + 8
    out = [
        f'<svg class="app-chart" role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'width="100%" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT_SIZE}" font-family="{FONT}" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    y = 0
    for column, year in enumerate(labels):
        out.append(f'<text x="{_pct(zero)}" dx="8" y="{y + 22}" font-weight="bold">{escape(year)}</text>')
        y += GROUP_TITLE
        for label, per_year in rows:
            value = Fraction(per_year[column])
            width = BAR_SPACE * abs(value) / span
            left = zero - width if value < 0 else zero
            colour = LOSS if value < 0 else BAR
            out.append(f'<text x="{_pct(zero)}" dx="8" y="{y + 18}">{escape(label)}</text>')
            out.append(
                f'<rect x="{_pct(left)}" y="{y + 26}" width="{_pct(width)}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"></rect>'
            )
            text_x = zero if value < 0 else zero + width
            out.append(
                f'<text x="{_pct(text_x)}" dx="8" y="{y + 42}" font-weight="bold">'
                f"{escape(format_pence(int(value)))}</text>"
            )
            y += ROW
    out.append(
        f'<line x1="{_pct(zero)}" y1="0" x2="{_pct(zero)}" y2="{height}" stroke="{AXIS}" stroke-width="2"></line>'
    )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every piece of text in it is escaped above
