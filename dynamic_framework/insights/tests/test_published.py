"""Published statements compared with computed figures: the file is checked whole, each comparison is read as
the words say ('over', 'about', '88%', '9 of 14'), and nothing is forced to match."""

from fractions import Fraction

import pytest

from dynamic_framework.core.reference_data import ReferenceDataError
from dynamic_framework.insights import published
from dynamic_framework.insights.analysis import analyse
from dynamic_framework.insights.figures import COUNT, PENCE, SHARE, Share

COLUMNS = ",".join(published.COLUMNS)


def statement(comparison="equal", value="3", unit="count", tolerance=""):
    return published.Statement(
        key="k",
        round="r",
        source="s",
        published_text="t",
        quote="q",
        value=Fraction(value),
        unit=unit,
        comparison=comparison,
        tolerance=Fraction(tolerance) if tolerance else Fraction(0),
        computed="c",
        unknown="",
        note="",
        why_may_differ="because",
    )


@pytest.mark.parametrize(
    ("s", "value", "unit", "expected"),
    [
        (statement("equal", "26"), 26, COUNT, published.MATCHES),
        (statement("equal", "81"), 93, COUNT, published.DIFFERS),
        (statement("equal", "9/14", "share"), Share(9, 14), SHARE, published.MATCHES),
        (statement("equal", "9/14", "share"), Share(18, 28), SHARE, published.DIFFERS),  # "9 of 14" is counts
        (statement("about", "195000000", "pounds", "2"), 196_074_277_00, PENCE, published.CONSISTENT),
        (statement("about", "118000000", "pounds", "5"), 81_979_053_00, PENCE, published.DIFFERS),
        (statement("about", "2/3", "share", "5"), Share(64, 100), SHARE, published.CONSISTENT),
        (statement("about", "2/3", "share", "5"), Share(60, 100), SHARE, published.DIFFERS),
        (statement("more_than", "45000000", "pounds"), 46_609_099_00, PENCE, published.CONSISTENT),
        (statement("more_than", "45000000", "pounds"), 45_000_000_00, PENCE, published.DIFFERS),
        (statement("rounds_to", "88", "percent"), Share(23, 26), SHARE, published.MATCHES),
        (statement("rounds_to", "89", "percent"), Share(23, 26), SHARE, published.DIFFERS),
        (statement("all", "1/1", "share"), Share(40, 40), SHARE, published.MATCHES),
        (statement("all", "1/1", "share"), Share(39, 40), SHARE, published.DIFFERS),
        (statement("not_comparable", "270000000", "pounds"), 1, PENCE, published.NOT_COMPARABLE),
        (statement("equal", "3"), None, COUNT, published.NOT_KNOWN),
    ],
)
def test_status(s, value, unit, expected):
    assert published.status(s, value, unit) == expected


def test_unknowns_that_could_change_the_answer_make_it_not_known():
    s = statement("equal", "73")
    assert published.status(s, 41, COUNT, unknown=48) == published.NOT_KNOWN
    assert published.status(s, 41, COUNT, unknown=10) == published.DIFFERS
    half = statement("more_than", "1/2", "share")
    assert published.status(half, Share(10, 93), SHARE, unknown=83) == published.NOT_KNOWN
    assert published.status(half, Share(10, 93), SHARE, unknown=5) == published.DIFFERS
    assert published.status(half, Share(50, 93), SHARE, unknown=5) == published.CONSISTENT


def test_the_shipped_file_loads_and_names_its_sources():
    statements = published.load()
    assert len(statements) >= 25
    assert {s.key for s in statements} >= {"moj-personal-wellbeing-118m", "clinks-88-percent-voluntary-leads"}
    for s in statements:
        assert s.source and s.quote and s.computed
        if s.comparison == "not_comparable":
            assert s.why_may_differ


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("k,r,s,t,q,1,litres,equal,,c,,,", "unit"),
        ("k,r,s,t,q,1,count,roughly,,c,,,", "comparison"),
        ("k,r,s,t,q,one,count,equal,,c,,,", "not a number"),
        ("k,r,s,t,q,1,count,about,,c,,,", "tolerance"),
        ("k,r,s,t,,1,count,equal,,c,,,", "required"),
        ("k,r,s,t,q,1,count,rounds_to,,c,,,", "percentage"),
        ("k,r,s,t,q,1,count,not_comparable,,c,,,", "why_may_differ"),
    ],
)
def test_a_bad_row_refuses_the_file(tmp_path, row, message):
    path = tmp_path / "published.csv"
    path.write_text(f"{COLUMNS}\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message):
        published.load(path)


def test_a_repeated_key_refuses_the_file(tmp_path):
    path = tmp_path / "published.csv"
    row = "k,r,s,t,q,1,count,equal,,c,,,"
    path.write_text(f"{COLUMNS}\n{row}\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="repeated"):
        published.load(path)


def test_statements_are_compared_only_for_their_whole_round(small_world, tmp_path):
    path = tmp_path / "published.csv"
    path.write_text(
        f"{COLUMNS}\n"
        "four,small-round,A source,four contracts,we bought four contracts,4,count,equal,,contracts,,,\n"
        "lots,small-round,A source,£1 million,a million pounds,1000000,pounds,about,5,total_value,,,"
        "the list has less\n"
        "other,another-round,A source,x,y,1,count,equal,,contracts,,,\n"
        "missing,small-round,A source,x,y,1,count,equal,,lot-types.mentoring.contracts,,,\n",
        encoding="utf-8",
    )
    a = analyse()
    published.attach(a, path)
    by_key = {c.statement.key: c for c in a.published}
    assert set(by_key) == {"four", "lots", "missing"}
    assert by_key["four"].status == published.MATCHES
    assert by_key["four"].contracts == "all"
    assert by_key["lots"].status == published.DIFFERS
    assert by_key["lots"].reason == "the list has less"
    assert by_key["lots"].computed_text == "£500,000"
    assert by_key["missing"].status == published.NOT_KNOWN  # no mentoring contracts in this round
    filtered = analyse(region="X")
    filtered.published = []
    published.attach(filtered, path)
    assert filtered.published == []
    assert "clear the filters" in filtered.published_note
