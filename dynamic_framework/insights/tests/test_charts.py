"""Server-drawn SVG charts: accessible names, escaped text, values written beside bars."""

from datetime import date
from fractions import Fraction

from dynamic_framework.insights.charts import bar_chart, timeline_chart
from dynamic_framework.insights.figures import Bar


def test_bar_chart_is_named_and_described():
    svg = str(bar_chart("c1", "Money by lot", "A bar for each lot", [Bar("Women's", 3, "£3m"), Bar("Other", 1, "£1m")]))
    assert svg.startswith('<svg class="app-chart" role="img" aria-labelledby="c1-title" aria-describedby="c1-desc"')
    assert '<title id="c1-title">Money by lot</title>' in svg
    assert '<desc id="c1-desc">A bar for each lot</desc>' in svg
    assert "Women&#39;s" in svg
    assert "£3m" in svg and "£1m" in svg
    # the longest bar takes 72% of the width; the other a third of that
    assert 'width="72.00%"' in svg
    assert 'width="24.00%"' in svg


def test_bar_chart_escapes_text_and_handles_zero():
    svg = str(bar_chart("c2", "<script>", "d", [Bar("<b>", 0, "0")], max_value=100))
    assert "<script>" not in svg
    assert "&lt;b&gt;" in svg
    assert 'width="0.00%"' in svg


def test_bar_chart_with_a_fixed_scale():
    svg = str(bar_chart("c3", "t", "d", [Bar("Half", Fraction(50), "50%")], max_value=100))
    assert 'width="36.00%"' in svg


def test_timeline_marks_each_date_and_year():
    svg = str(
        timeline_chart(
            "t1",
            "When contracts end",
            "d",
            [(date(2025, 3, 31), 61, "61 contracts"), (date(2023, 6, 30), 17, "17 contracts")],
        )
    )
    assert 'role="img"' in svg
    assert "30 June 2023" in svg and "31 March 2025" in svg
    assert "61 contracts" in svg
    for year in ("2023", "2024", "2025", "2026"):
        assert f">{year}</text>" in svg
    assert svg.count("<circle") == 2
