"""Charts as inline SVG, drawn on the server: no JavaScript, readable without colour.

Each chart is an <svg role="img"> named by its <title> (aria-labelledby) and described by its <desc>
(aria-describedby), and is always followed on the page by the table of its data and a one-sentence summary.
Text is GOV.UK black on white (contrast 19:1); bars are GOV.UK blue, with their value written beside them, so
nothing relies on colour.
Widths are percentages, so the chart fills its column at any screen width while the text keeps its size.
"""

from datetime import date
from fractions import Fraction

from markupsafe import Markup, escape

TEXT = "#0b0c0c"  # GOV.UK text colour
BAR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
AXIS = "#505a5f"  # GOV.UK secondary text: 7:1 against white
FONT_SIZE = 16
FONT = "GDS Transport, arial, sans-serif"  # as GOV.UK Frontend's text
ROW = 52  # a label line, then its bar
BAR_HEIGHT = 20
BAR_SPACE = Fraction(72)  # percentage of the width the longest bar may take (the rest is for its value)


def _pct(value) -> str:
    return f"{float(value):.2f}%"


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg class="app-chart" role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'width="100%" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT_SIZE}" font-family="{FONT}" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, description: str, bars, max_value=None) -> Markup:
    """Horizontal bars, one a row: the label above its bar, the value written after the bar."""
    top = max([Fraction(b.value) for b in bars] + [Fraction(max_value or 0)]) or Fraction(1)
    height = ROW * len(bars) + 8
    out = _open(chart_id, title, description, height)
    for i, bar in enumerate(bars):
        y = i * ROW
        width = BAR_SPACE * Fraction(bar.value) / top if bar.value else Fraction(0)
        out.append(f'<text x="0" y="{y + 18}">{escape(bar.label)}</text>')
        out.append(f'<rect x="0" y="{y + 26}" width="{_pct(width)}" height="{BAR_HEIGHT}" fill="{BAR}"></rect>')
        out.append(f'<text x="{_pct(width)}" dx="8" y="{y + 42}" font-weight="bold">{escape(bar.text)}</text>')
    out.append(f'<line x1="0" y1="22" x2="0" y2="{height}" stroke="{AXIS}" stroke-width="2"></line>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every piece of text in it is escaped above


def timeline_chart(chart_id: str, title: str, description: str, events, today: date | None = None) -> Markup:
    """A horizontal time axis with a mark for each event (date, count, label) and the years marked below."""
    events = sorted(events)
    first, last = events[0][0], events[-1][0]
    start = date(first.year, 1, 1)
    end = date(last.year + 1, 1, 1)
    span = (end - start).days
    margin = Fraction(6)  # percentage kept clear at each end for labels
    inner = 100 - 2 * margin

    def x(d: date) -> Fraction:
        return margin + inner * Fraction((d - start).days, span)

    levels = 3
    label_height = 44
    axis_y = levels * label_height + 20
    height = axis_y + 36
    out = _open(chart_id, title, description, height)
    out.append(
        f'<line x1="{_pct(margin)}" y1="{axis_y}" x2="{_pct(100 - margin)}" y2="{axis_y}" '
        f'stroke="{AXIS}" stroke-width="2"></line>'
    )
    for year in range(start.year, end.year + 1):
        pos = _pct(x(date(year, 1, 1)))
        out.append(f'<line x1="{pos}" y1="{axis_y - 6}" x2="{pos}" y2="{axis_y + 6}" stroke="{AXIS}"></line>')
        out.append(f'<text x="{pos}" y="{axis_y + 26}" text-anchor="middle" fill="{AXIS}">{year}</text>')
    for i, (when, _count, label) in enumerate(events):
        pos = x(when)
        level = i % levels
        label_y = 18 + level * label_height
        anchor = "start" if pos < 25 else ("end" if pos > 75 else "middle")
        out.append(f'<line x1="{_pct(pos)}" y1="{label_y + 24}" x2="{_pct(pos)}" y2="{axis_y}" stroke="{TEXT}"></line>')
        out.append(f'<circle cx="{_pct(pos)}" cy="{axis_y}" r="7" fill="{BAR}" stroke="{TEXT}"></circle>')
        text = f"{when.day} {when:%B %Y}"
        out.append(
            f'<text x="{_pct(pos)}" y="{label_y}" text-anchor="{anchor}" font-weight="bold">{escape(text)}</text>'
        )
        out.append(f'<text x="{_pct(pos)}" y="{label_y + 20}" text-anchor="{anchor}">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every piece of text in it is escaped above


def render(chart, chart_id: str) -> Markup:
    if chart is None:
        return Markup("")
    if chart.kind == "timeline":
        return timeline_chart(chart_id, chart.title, chart.description, chart.events)
    return bar_chart(chart_id, chart.title, chart.description, chart.bars, chart.max_value)
