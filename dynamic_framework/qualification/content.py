"""The questions providers answer, as validated data.

A question set's content is JSON stored on `QuestionSet.content` (the first version comes from
data/questions.toml). `parse_content()` checks it whole and returns `Content`, a tree of frozen dataclasses that
the journey, the assessment pages, the "What you will need" page and the question counts all read. Nothing else
decides who is asked what: the proportionality rules are the `size_bands` and `when` of each question.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from dynamic_framework.organisations.classification import SIZE_BANDS, SizeBand

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Size bands that answer questions, smallest first.
BANDS = [band.code for band in SIZE_BANDS]
#: Conditions a section or question may have.
WHEN = {"wales": _("only if you apply for areas in Wales")}


class SectionKind:
    ORGANISATION = "organisation"
    SCOPE = "scope"
    QUESTIONS = "questions"
    CASE_STUDIES = "case_studies"


class Kind:
    TEXT = "text"
    LONG_TEXT = "long_text"
    YES_NO = "yes_no"
    YES_NO_EXPLAIN = "yes_no_explain"
    CHOICE = "choice"
    CHECKLIST = "checklist"
    FILE = "file"
    DATE = "date"


KIND_LABELS = {
    Kind.TEXT: _("Short answer"),
    Kind.LONG_TEXT: _("Longer answer, with a word limit"),
    Kind.YES_NO: _("Yes or no"),
    Kind.YES_NO_EXPLAIN: _("Yes or no, with an explanation"),
    Kind.CHOICE: _("One of a list"),
    Kind.CHECKLIST: _("Any of a list"),
    Kind.FILE: _("A document"),
    Kind.DATE: _("A date"),
}
SECTION_KINDS = {SectionKind.ORGANISATION, SectionKind.SCOPE, SectionKind.QUESTIONS, SectionKind.CASE_STUDIES}
#: Sections the service cannot do without (each exactly once).
REQUIRED_SECTIONS = {SectionKind.ORGANISATION: "organisation", SectionKind.SCOPE: "scope"}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_WORD_LIMIT = 1000
TEXT_MAX_LENGTH = 200

#: The organisation section's own questions (asked by the service from the organisation record), and the scope
#: section's (categories, areas). Counted with the others so that the question counts are true.
ORGANISATION_QUESTIONS = [
    ("name", _("Name of your organisation")),
    ("legal_form", _("What kind of organisation it is")),
    ("identifier", _("Charity or company number")),
    ("income", _("Latest annual income")),
    ("income_year", _("Financial year of that income")),
    ("address", _("Address")),
    ("contact_email", _("Contact email address")),
    ("contact_phone", _("Contact phone number")),
]
SCOPE_QUESTIONS = [
    ("categories", _("Types of service you are applying for")),
    ("pcc_areas", _("Areas where you can provide them")),
]


class ContentError(ValueError):
    """The content is not a valid question set. `errors` lists every problem found, as plain sentences."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    label: str
    hint: str = ""
    size_bands: tuple[str, ...] = tuple(BANDS)
    when: str = ""
    required: bool = True
    word_limit: int | None = None
    explain_when: str = ""
    explain_label: str = ""
    options: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()

    def asked_of(self, size_band: str, *, in_wales: bool) -> bool:
        if self.when == "wales" and not in_wales:
            return False
        return size_band in self.size_bands

    @property
    def for_every_band(self) -> bool:
        return set(self.size_bands) == set(BANDS)

    def as_dict(self) -> dict:
        out = {"key": self.key, "kind": self.kind, "label": self.label}
        if self.hint:
            out["hint"] = self.hint
        if not self.for_every_band:
            out["size_bands"] = list(self.size_bands)
        if self.when:
            out["when"] = self.when
        if not self.required:
            out["required"] = False
        if self.word_limit is not None:
            out["word_limit"] = self.word_limit
        if self.explain_when:
            out["explain_when"] = self.explain_when
            out["explain_label"] = self.explain_label
        if self.options:
            out["options"] = list(self.options)
        if self.glossary:
            out["glossary"] = list(self.glossary)
        return out


@dataclass(frozen=True)
class Section:
    key: str
    kind: str
    title: str
    guidance: str = ""
    when: str = ""
    questions: tuple[Question, ...] = ()

    def applies(self, *, in_wales: bool) -> bool:
        return not (self.when == "wales" and not in_wales)

    def questions_for(self, size_band: str, *, in_wales: bool) -> list[Question]:
        if not self.applies(in_wales=in_wales):
            return []
        return [q for q in self.questions if q.asked_of(size_band, in_wales=in_wales)]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    @property
    def case_study(self) -> Question | None:
        return self.questions[0] if self.kind == SectionKind.CASE_STUDIES and self.questions else None

    def as_dict(self) -> dict:
        out = {"key": self.key, "kind": self.kind, "title": self.title}
        if self.guidance:
            out["guidance"] = self.guidance
        if self.when:
            out["when"] = self.when
        if self.questions:
            out["questions"] = [q.as_dict() for q in self.questions]
        return out


@dataclass(frozen=True)
class QuestionCount:
    """How many questions an organisation of one size band answers."""

    size_band: str
    base: int  # asked of everyone in the band, wherever they apply
    wales: int  # asked in addition when applying for areas in Wales
    per_category: int  # asked once for each category applied for (the case study)
    documents: int  # of the base questions, how many ask for a document

    def total(self, *, categories: int, in_wales: bool) -> int:
        return self.base + (self.wales if in_wales else 0) + self.per_category * categories


@dataclass(frozen=True)
class Content:
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def sections_for(self, *, in_wales: bool) -> list[Section]:
        return [s for s in self.sections if s.applies(in_wales=in_wales)]

    @property
    def question_sections(self) -> list[Section]:
        return [s for s in self.sections if s.kind == SectionKind.QUESTIONS]

    @property
    def case_study_section(self) -> Section | None:
        return next((s for s in self.sections if s.kind == SectionKind.CASE_STUDIES), None)

    def questions_for(self, size_band: str, *, in_wales: bool) -> list[tuple[Section, Question]]:
        return [(s, q) for s in self.question_sections for q in s.questions_for(size_band, in_wales=in_wales)]

    def count(self, size_band: str) -> QuestionCount:
        fixed = len(ORGANISATION_QUESTIONS) + len(SCOPE_QUESTIONS)
        everywhere = self.questions_for(size_band, in_wales=False)
        in_wales = self.questions_for(size_band, in_wales=True)
        return QuestionCount(
            size_band=size_band,
            base=fixed + len(everywhere),
            wales=len(in_wales) - len(everywhere),
            per_category=1 if self.case_study_section and self.case_study_section.questions else 0,
            documents=sum(1 for _s, q in everywhere if q.kind == Kind.FILE),
        )

    def counts(self) -> list[QuestionCount]:
        return [self.count(band) for band in BANDS]

    def as_dict(self) -> dict:
        return {"sections": [s.as_dict() for s in self.sections]}


# Parsing and validation -----------------------------------------------------------------------------------


def _text(value, where: str, name: str, errors: list[str], *, required=True, max_length=2000) -> str:
    if value is None or value == "":
        if required:
            errors.append(f"{where}: {name} is empty")
        return ""
    if not isinstance(value, str):
        errors.append(f"{where}: {name} must be text")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"{where}: {name} is empty")
    if len(value) > max_length:
        errors.append(f"{where}: {name} is longer than {max_length} characters")
    return value


def _strings(value, where: str, name: str, errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{where}: {name} must be a list of text")
        return ()
    return tuple(v.strip() for v in value)


def _question(raw, section: Section | dict, errors: list[str], glossary: set[str] | None) -> Question | None:
    where = f"section {section['key']!r}"
    if not isinstance(raw, dict):
        errors.append(f"{where}: each question must be a table of fields")
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        errors.append(f"{where}: question key {key!r} must be lower case letters, digits and _ (up to 50)")
        key = str(key)
    where = f"question {key!r}"
    known = {
        "key",
        "kind",
        "label",
        "hint",
        "size_bands",
        "when",
        "required",
        "word_limit",
        "explain_when",
        "explain_label",
        "options",
        "glossary",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        errors.append(f"{where}: unknown field(s) {', '.join(unknown)}")
    kind = raw.get("kind")
    if kind not in KIND_LABELS:
        errors.append(f"{where}: kind {kind!r} is not one of {', '.join(KIND_LABELS)}")
    if section["kind"] == SectionKind.CASE_STUDIES and kind != Kind.LONG_TEXT:
        errors.append(f"{where}: a case study is a long_text question")
    label = _text(raw.get("label"), where, "label", errors, max_length=500)
    hint = _text(raw.get("hint"), where, "hint", errors, required=False, max_length=1000)
    bands = _strings(raw.get("size_bands"), where, "size_bands", errors) if "size_bands" in raw else tuple(BANDS)
    wrong = [b for b in bands if b not in BANDS]
    if wrong:
        errors.append(f"{where}: size band(s) {', '.join(wrong)} are not {', '.join(BANDS)}")
    if "size_bands" in raw and not bands:
        errors.append(f"{where}: size_bands is empty, so nobody would be asked it")
    bands = tuple(b for b in BANDS if b in bands)
    when = raw.get("when", "") or ""
    if when and when not in WHEN:
        errors.append(f"{where}: when {when!r} is not one of {', '.join(WHEN)}")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        errors.append(f"{where}: required must be true or false")
        required = True
    word_limit = raw.get("word_limit")
    if kind == Kind.LONG_TEXT:
        if not isinstance(word_limit, int) or isinstance(word_limit, bool) or not 1 <= word_limit <= MAX_WORD_LIMIT:
            errors.append(f"{where}: word_limit must be a whole number from 1 to {MAX_WORD_LIMIT}")
            word_limit = None
    elif word_limit is not None:
        errors.append(f"{where}: only long_text questions have a word limit")
        word_limit = None
    explain_when = raw.get("explain_when", "") or ""
    explain_label = ""
    if kind == Kind.YES_NO_EXPLAIN:
        if explain_when not in {"yes", "no"}:
            errors.append(f"{where}: explain_when must be yes or no")
        explain_label = _text(raw.get("explain_label"), where, "explain_label", errors, max_length=300)
    elif explain_when or raw.get("explain_label"):
        errors.append(f"{where}: only yes_no_explain questions ask for an explanation")
    options = _strings(raw.get("options"), where, "options", errors)
    if kind in {Kind.CHOICE, Kind.CHECKLIST}:
        if len(options) < 2:
            errors.append(f"{where}: a {kind} question needs at least 2 options")
        if len(set(options)) != len(options):
            errors.append(f"{where}: options must be different from each other")
    elif options:
        errors.append(f"{where}: only choice and checklist questions have options")
    terms = _strings(raw.get("glossary"), where, "glossary", errors)
    if glossary is not None:
        missing = [t for t in terms if t not in glossary]
        if missing:
            errors.append(f"{where}: glossary term(s) {', '.join(missing)} are not in the glossary")
    if section["kind"] == SectionKind.CASE_STUDIES and "{category}" not in label:
        errors.append(f"{where}: the case study label must contain {{category}} (the category's name goes there)")
    return Question(
        key=key,
        kind=kind if kind in KIND_LABELS else Kind.TEXT,
        label=label,
        hint=hint,
        size_bands=bands,
        when=when,
        required=required,
        word_limit=word_limit,
        explain_when=explain_when,
        explain_label=explain_label,
        options=options,
        glossary=terms,
    )


def parse_content(data, *, glossary: set[str] | None = None) -> Content:
    """Check a whole question set and return it; raise ContentError listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ContentError(["the content must have a list of sections"])
    sections, section_keys, question_keys = [], set(), set()
    for index, raw in enumerate(data["sections"], start=1):
        if not isinstance(raw, dict):
            errors.append(f"section {index}: must be a table of fields")
            continue
        key = raw.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            errors.append(f"section {index}: key {key!r} must be lower case letters, digits and _ (up to 50)")
            key = f"section_{index}"
        if key in section_keys:
            errors.append(f"section {key!r}: appears twice")
        section_keys.add(key)
        unknown = sorted(set(raw) - {"key", "kind", "title", "guidance", "when", "questions"})
        if unknown:
            errors.append(f"section {key!r}: unknown field(s) {', '.join(unknown)}")
        kind = raw.get("kind")
        if kind not in SECTION_KINDS:
            errors.append(f"section {key!r}: kind {kind!r} is not one of {', '.join(sorted(SECTION_KINDS))}")
        title = _text(raw.get("title"), f"section {key!r}", "title", errors, max_length=100)
        guidance = _text(raw.get("guidance"), f"section {key!r}", "guidance", errors, required=False, max_length=3000)
        when = raw.get("when", "") or ""
        if when and when not in WHEN:
            errors.append(f"section {key!r}: when {when!r} is not one of {', '.join(WHEN)}")
        raw_questions = raw.get("questions") or []
        if not isinstance(raw_questions, list):
            errors.append(f"section {key!r}: questions must be a list")
            raw_questions = []
        questions = []
        shell = {"key": key, "kind": kind}
        for raw_question in raw_questions:
            question = _question(raw_question, shell, errors, glossary)
            if question is None:
                continue
            if question.key in question_keys:
                errors.append(f"question {question.key!r}: the same key is used twice")
            question_keys.add(question.key)
            questions.append(question)
        if kind in {SectionKind.ORGANISATION, SectionKind.SCOPE} and questions:
            errors.append(f"section {key!r}: the service asks this section's questions itself; remove them")
        if kind == SectionKind.QUESTIONS and not questions:
            errors.append(f"section {key!r}: has no questions")
        if kind == SectionKind.CASE_STUDIES and len(questions) != 1:
            errors.append(f"section {key!r}: has exactly one case study question")
        sections.append(
            Section(key=key, kind=kind or "", title=title, guidance=guidance, when=when, questions=tuple(questions))
        )
    for kind, key in REQUIRED_SECTIONS.items():
        matching = [s for s in sections if s.kind == kind]
        if len(matching) != 1 or matching[0].key != key:
            errors.append(f"there must be exactly one {kind} section, with the key {key!r}")
    if sum(1 for s in sections if s.kind == SectionKind.CASE_STUDIES) > 1:
        errors.append("there can be only one case studies section")
    if sections and sections[0].kind != SectionKind.ORGANISATION:
        errors.append("the organisation section must come first: it decides which questions are asked")
    if errors:
        raise ContentError(errors)
    return Content(sections=tuple(sections))


def load_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def shipped_content(path: Path = DATA_DIR / "questions.toml", glossary: set[str] | None = None) -> Content:
    """The first version of the questions, from the file the project ships."""
    return parse_content(load_toml(path), glossary=glossary)


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text or ""))


SIZE_BAND_ORDER = {code: index for index, code in enumerate(BANDS)}
ANSWERING_BANDS = [b for b in SIZE_BANDS if b.code != SizeBand.UNKNOWN]
