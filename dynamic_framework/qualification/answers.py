"""Checking answers against the questions, for the pages and the services alike.

Raw answers are what a person typed (strings, lists of strings); stored answers are JSON on
`Application.answers`, keyed by question key:

    text, long_text   "the answer"
    yes_no            "yes" | "no"
    yes_no_explain    {"answer": "yes", "explanation": "..."}  (explanation only when it is asked for)
    choice            one of the options, as written
    checklist         a list of the options chosen ([] means "none of these")
    file              {"document": <ApplicationDocument id>, "name": "accounts.pdf"}
    date              "2027-03-31"
    case study        under "case_study:<category slug>", "the answer"

`check_answers()` returns the cleaned answers and the errors (field name -> message). With `complete=True` every
required question must be answered; with `complete=False` ("save and come back later") only what was given is
checked. Field names are the question keys, with `__explanation` and `__day/__month/__year` for the parts.
"""

from datetime import date

from django.utils.translation import gettext as _

from .content import TEXT_MAX_LENGTH, Kind, Question, count_words

YES_NO = {"yes": _("Yes"), "no": _("No")}
NONE_OF_THESE = "__none__"


def case_study_key(category_slug: str) -> str:
    return f"case_study:{category_slug}"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _word_limit_error(text: str, limit: int) -> str | None:
    words = count_words(text)
    if words > limit:
        return _("Your answer must be %(limit)s words or fewer (it is %(words)s words)") % {
            "limit": limit,
            "words": words,
        }
    return None


def _check_text(question: Question, raw, *, label: str) -> tuple[str | None, str | None]:
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        return None, None
    if question.kind == Kind.TEXT and len(text) > TEXT_MAX_LENGTH:
        return None, _("%(label)s must be %(max)s characters or fewer") % {"label": label, "max": TEXT_MAX_LENGTH}
    if question.kind == Kind.LONG_TEXT and question.word_limit:
        error = _word_limit_error(text, question.word_limit)
        if error:
            return None, error
    return text, None


def parse_date_parts(day, month, year) -> tuple[str | None, str | None]:
    """'31', '3', '2027' -> '2027-03-31', or an error in the GOV.UK date input style."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    if not any(parts.values()):
        return None, None
    missing = [name for name, value in parts.items() if not value]
    if missing:
        return None, _("The date must include a %(part)s") % {"part": _(missing[0])}
    if not all(value.isdigit() for value in parts.values()):
        return None, _("The date must be a real date, like 31 3 2027")
    if len(parts["year"]) != 4:
        return None, _("The year must include 4 numbers")
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, _("The date must be a real date, like 31 3 2027")
    return value.isoformat(), None


def check_answer(question: Question, raw: dict, *, label: str | None = None, required: bool):
    """(cleaned value or None, {field: message}) for one question. `raw` holds the question's fields."""
    label = label or question.label
    key = question.key
    errors: dict[str, str] = {}
    value = None
    if question.kind in {Kind.TEXT, Kind.LONG_TEXT}:
        value, error = _check_text(question, raw.get(key), label=_("Your answer"))
        if error:
            errors[key] = error
        elif value is None and required:
            errors[key] = _("Enter your answer")
    elif question.kind in {Kind.YES_NO, Kind.YES_NO_EXPLAIN}:
        answer = (raw.get(key) or "").strip()
        if answer and answer not in YES_NO:
            errors[key] = _("Select yes or no")
        elif not answer:
            if required:
                errors[key] = _("Select yes or no")
        elif question.kind == Kind.YES_NO:
            value = answer
        else:
            value = {"answer": answer}
            if answer == question.explain_when:
                explanation = (raw.get(f"{key}__explanation") or "").strip()
                if not explanation:
                    # The explanation's own label says what to do ("Tell us what happened..."), as an error should.
                    errors[f"{key}__explanation"] = question.explain_label
                else:
                    error = _word_limit_error(explanation, 300)
                    if error:
                        errors[f"{key}__explanation"] = error
                    else:
                        value["explanation"] = explanation
    elif question.kind == Kind.CHOICE:
        answer = (raw.get(key) or "").strip()
        if answer and answer not in question.options or not answer and required:
            errors[key] = _("Select one of the options")
        elif answer:
            value = answer
    elif question.kind == Kind.CHECKLIST:
        chosen = raw.get(key) or []
        if isinstance(chosen, str):
            chosen = [chosen]
        chosen = [c for c in chosen if c]
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            errors[key] = _("Select the things you do, or select 'None of these'")
        elif any(c not in question.options and c != NONE_OF_THESE for c in chosen):
            errors[key] = _("Select from the list")
        elif not chosen:
            if required:
                errors[key] = _("Select the things you do, or select 'None of these'")
        else:
            value = [option for option in question.options if option in chosen]
    elif question.kind == Kind.DATE:
        value, error = parse_date_parts(raw.get(f"{key}__day"), raw.get(f"{key}__month"), raw.get(f"{key}__year"))
        if error:
            errors[f"{key}__day"] = error
        elif value is None and required:
            errors[f"{key}__day"] = _("Enter a date")
    elif question.kind == Kind.FILE:
        value = raw.get(key) or None  # {"document": id, "name": ...}, put there by the service after the upload
        if value is None and required:
            errors[key] = _("Select a file")
    return value, errors


def is_answered(question: Question, value) -> bool:
    if question.kind == Kind.CHECKLIST:
        return isinstance(value, list)
    if question.kind == Kind.YES_NO_EXPLAIN:
        if not isinstance(value, dict) or value.get("answer") not in YES_NO:
            return False
        return value["answer"] != question.explain_when or bool(value.get("explanation"))
    return not _blank(value)


def display(question: Question, value) -> str:
    """An answer as text, for check your answers, the assessor and exports."""
    if value is None or (question.kind != Kind.CHECKLIST and _blank(value)):
        return ""
    if question.kind == Kind.YES_NO:
        return str(YES_NO.get(value, value))
    if question.kind == Kind.YES_NO_EXPLAIN:
        text = str(YES_NO.get(value.get("answer"), ""))
        if value.get("explanation"):
            text += f": {value['explanation']}"
        return text
    if question.kind == Kind.CHECKLIST:
        return "; ".join(value) if value else _("None of these")
    if question.kind == Kind.FILE:
        return value.get("name", "") if isinstance(value, dict) else ""
    if question.kind == Kind.DATE:
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)
