"""The questions as validated data: the shipped version, the proportionality rules and the counts."""

import copy

import pytest

from dynamic_framework.qualification import content as c
from dynamic_framework.qualification.content import ContentError, Kind, parse_content, shipped_content
from dynamic_framework.qualification.loaders import DATA_DIR


@pytest.fixture(scope="module")
def glossary():
    import tomllib

    with (DATA_DIR / "glossary.toml").open("rb") as handle:
        return {term["slug"] for term in tomllib.load(handle)["terms"]}


@pytest.fixture(scope="module")
def shipped(glossary):
    return shipped_content(glossary=glossary)


@pytest.fixture
def data(shipped):
    return copy.deepcopy(shipped.as_dict())


def keys_for(content, band, *, in_wales=False):
    return {q.key for _s, q in content.questions_for(band, in_wales=in_wales)}


def test_the_shipped_questions_are_valid_and_round_trip(shipped, glossary):
    assert parse_content(shipped.as_dict(), glossary=glossary) == shipped
    assert [s.key for s in shipped.sections][:2] == ["organisation", "scope"]


def test_small_organisations_give_accounts_they_have_not_a_credit_report_or_a_certificate(shipped):
    for band in ("micro", "small"):
        asked = keys_for(shipped, band)
        assert "income_statement" in asked
        assert "security_self_assessment" in asked
        assert not asked & {"audited_accounts", "cyber_essentials", "cyber_essentials_expiry", "insurance_certificates"}
        assert not any("credit" in key for key in asked)


def test_larger_organisations_give_more(shipped):
    for band in ("large", "major"):
        asked = keys_for(shipped, band)
        assert {"audited_accounts", "cyber_essentials", "cyber_essentials_expiry", "insurance_certificates"} <= asked
        assert "security_self_assessment" not in asked
        assert "income_statement" not in asked
    assert {"accounts", "security_self_assessment", "professional_indemnity"} <= keys_for(shipped, "medium")


def test_welsh_language_questions_only_for_areas_in_wales(shipped):
    assert not keys_for(shipped, "micro") & {"welsh_speakers", "welsh_service"}
    assert {"welsh_speakers", "welsh_service"} <= keys_for(shipped, "micro", in_wales=True)
    assert "welsh_language" not in {s.key for s in shipped.sections_for(in_wales=False)}


def test_question_counts_grow_with_size_and_are_short_for_small_organisations(shipped):
    counts = {count.size_band: count for count in shipped.counts()}
    assert counts["micro"].base <= counts["small"].base <= counts["medium"].base <= counts["large"].base
    assert counts["micro"].base < counts["major"].base
    # The documented numbers (docs/qualification.md): a micro charity answers 29, a major organisation 35.
    assert counts["micro"].base == 29
    assert counts["major"].base == 35
    assert counts["micro"].wales == 2
    assert counts["micro"].per_category == 1
    assert counts["micro"].documents == 1
    assert counts["major"].documents == 4
    # Two categories, two areas in England: 29 + 2 examples of work.
    assert counts["micro"].total(categories=2, in_wales=False) == 31
    assert counts["micro"].total(categories=2, in_wales=True) == 33


def test_every_question_has_hint_text_and_known_glossary_terms(shipped, glossary):
    for section in shipped.sections:
        for question in section.questions:
            assert question.hint.strip(), f"{question.key} has no hint text"
            assert set(question.glossary) <= glossary


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sections"].pop(0), "exactly one organisation section"),
        (lambda d: d["sections"].insert(0, d["sections"].pop(2)), "organisation section must come first"),
        (lambda d: d["sections"][2]["questions"][0].update(kind="essay"), "kind 'essay' is not one of"),
        (lambda d: d["sections"][2]["questions"][0].update(size_bands=["tiny"]), "size band(s) tiny are not"),
        (lambda d: d["sections"][2]["questions"][0].update(size_bands=[]), "nobody would be asked it"),
        (lambda d: d["sections"][2]["questions"][0].update(explain_when="maybe"), "explain_when must be yes or no"),
        (lambda d: d["sections"][2]["questions"][0].update(word_limit=100), "only long_text questions have a word"),
        (lambda d: d["sections"][2]["questions"][0].update(glossary=["no-such-term"]), "are not in the glossary"),
        (lambda d: d["sections"][2]["questions"][0].update(label=""), "label is empty"),
        (lambda d: d["sections"][2]["questions"][0].update(colour="red"), "unknown field(s) colour"),
        (lambda d: d["sections"][2]["questions"][1].update(key=d["sections"][2]["questions"][0]["key"]), "used twice"),
        (lambda d: d["sections"][2]["questions"][0].update(key="Bad Key"), "must be lower case letters"),
        (lambda d: d["sections"][2].update(questions=[]), "has no questions"),
        (lambda d: d["sections"][2].update(when="scotland"), "when 'scotland' is not one of"),
        (lambda d: d["sections"][-1]["questions"][0].update(label="No placeholder"), "must contain {category}"),
        (lambda d: d["sections"][-1]["questions"][0].pop("word_limit"), "word_limit must be a whole number"),
        (lambda d: d["sections"][-1]["questions"][0].update(word_limit=5000), "word_limit must be a whole number"),
        (lambda d: d["sections"][1].update(questions=[{"key": "x", "kind": "text", "label": "X"}]), "asks this"),
        (lambda d: d["sections"].append(dict(d["sections"][2], key="eligibility")), "appears twice"),
    ],
)
def test_bad_content_is_refused_with_every_problem_named(data, glossary, change, expected):
    change(data)
    with pytest.raises(ContentError) as caught:
        parse_content(data, glossary=glossary)
    assert any(expected in error for error in caught.value.errors), caught.value.errors


def test_choice_questions_need_two_different_options(data, glossary):
    insurance = next(s for s in data["sections"] if s["key"] == "insurance")
    insurance["questions"][0]["options"] = ["Yes"]
    insurance["questions"][1]["options"] = ["Yes", "Yes"]
    with pytest.raises(ContentError) as caught:
        parse_content(data, glossary=glossary)
    assert any("needs at least 2 options" in e for e in caught.value.errors)
    assert any("must be different" in e for e in caught.value.errors)


def test_several_problems_are_all_reported_at_once(data, glossary):
    data["sections"][2]["questions"][0]["kind"] = "essay"
    data["sections"][3]["title"] = ""
    with pytest.raises(ContentError) as caught:
        parse_content(data, glossary=glossary)
    assert len(caught.value.errors) >= 2


def test_not_a_question_set_at_all():
    with pytest.raises(ContentError):
        parse_content({"questions": []})
    with pytest.raises(ContentError):
        parse_content(["sections"])


def test_word_counting():
    assert c.count_words("") == 0
    assert c.count_words("  one two\nthree\tfour  ") == 4


def test_kind_labels_cover_every_kind():
    kinds = {v for k, v in vars(Kind).items() if not k.startswith("_")}
    assert kinds == set(c.KIND_LABELS)
