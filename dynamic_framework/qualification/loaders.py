"""Load the glossary, and the framework with its first version of the questions (after categories).

The glossary is reference data: matched on slug and kept in step with data/glossary.toml. The framework and its
questions are loaded once, when the framework does not exist yet; after that they belong to framework managers,
who change them in the service (a changed file does not overwrite what they have done).
"""

import tomllib
from datetime import date, datetime, time
from pathlib import Path

from django.utils import timezone

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.reference_data import LoadResult, ReferenceDataError, atomic_load, upsert
from dynamic_framework.core.time import UK

from .content import ContentError, load_toml, parse_content
from .models import Framework, FrameworkExtension, GlossaryTerm, QuestionSet

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(path: Path) -> dict:
    try:
        return load_toml(path)
    except OSError as exc:
        raise ReferenceDataError(path, 0, f"cannot open the file ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(path, getattr(exc, "lineno", 0) or 0, f"not valid TOML: {exc}") from exc


@atomic_load
def load_glossary(path: Path = DATA_DIR / "glossary.toml") -> LoadResult:
    data = _read(path)
    terms = data.get("terms")
    if not isinstance(terms, list) or not terms:
        raise ReferenceDataError(path, 1, "the file has no [[terms]]")
    items, seen = [], set()
    for index, term in enumerate(terms, start=1):
        where = f"term {index}"
        for field in ("slug", "term", "meaning"):
            if not isinstance(term.get(field), str) or not term[field].strip():
                raise ReferenceDataError(path, 0, f"{where}: {field} is empty")
        if term["slug"] in seen:
            raise ReferenceDataError(path, 0, f"{where}: duplicate slug {term['slug']!r}")
        seen.add(term["slug"])
        items.append({"slug": term["slug"].strip(), "term": term["term"].strip(), "meaning": term["meaning"].strip()})
    result = LoadResult("glossary")
    upsert(GlossaryTerm, items, "slug", result)
    return result


def _date(path: Path, data: dict, field: str) -> date:
    value = data.get(field)
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ReferenceDataError(path, 0, f"{field} must be a date, like 2027-06-10")
    return value


@atomic_load
def load_framework(
    path: Path = DATA_DIR / "framework.toml", questions_path: Path = DATA_DIR / "questions.toml"
) -> LoadResult:
    data = _read(path)
    result = LoadResult("framework")
    for field in ("slug", "name", "purpose"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise ReferenceDataError(path, 0, f"{field} is empty")
    starts_on, ends_on = _date(path, data, "starts_on"), _date(path, data, "ends_on")
    if ends_on <= starts_on:
        raise ReferenceDataError(path, 0, "ends_on must be after starts_on")
    opened_on = _date(path, data, "opened_on") if "opened_on" in data else None
    extensions = data.get("extensions", [])
    if not isinstance(extensions, list):
        raise ReferenceDataError(path, 0, "extensions must be a list")
    for index, extension in enumerate(extensions, start=1):
        if not isinstance(extension.get("months"), int) or not 1 <= extension["months"] <= 60:
            raise ReferenceDataError(path, 0, f"extension {index}: months must be a whole number from 1 to 60")
        _date(path, extension, "exercise_by")
    if data.get("categories") == "all":
        categories = list(ServiceCategory.objects.all())
    else:
        slugs = data.get("categories") or []
        categories = list(ServiceCategory.objects.filter(slug__in=slugs))
        if len(categories) != len(set(slugs)):
            missing = sorted(set(slugs) - {c.slug for c in categories})
            raise ReferenceDataError(path, 0, f"unknown categories: {', '.join(missing)}")
    if not categories:
        raise ReferenceDataError(path, 0, "no service categories: load the categories first")
    try:
        content = parse_content(
            load_toml(questions_path), glossary=set(GlossaryTerm.objects.values_list("slug", flat=True))
        )
    except ContentError as exc:
        raise ReferenceDataError(questions_path, 0, "; ".join(exc.errors)) from exc
    except OSError as exc:
        raise ReferenceDataError(questions_path, 0, f"cannot open the file ({exc.strerror})") from exc
    if Framework.objects.filter(slug=data["slug"]).exists():
        result.unchanged += 1
        return result
    opened_at = datetime.combine(opened_on, time(9, 0), tzinfo=UK) if opened_on else None
    framework = Framework.objects.create(
        slug=data["slug"].strip(),
        name=data["name"].strip(),
        purpose=data["purpose"].strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        opened_at=opened_at,
    )
    framework.categories.set(categories)
    for position, extension in enumerate(extensions, start=1):
        FrameworkExtension.objects.create(
            framework=framework, position=position, months=extension["months"], exercise_by=extension["exercise_by"]
        )
    QuestionSet.objects.create(
        framework=framework,
        version=1,
        content=content.as_dict(),
        change_note="The first version, as shipped with the service.",
        created_at=opened_at or timezone.now(),
        published_at=opened_at or timezone.now(),
    )
    result.created += 1
    result.changes.append({"created": framework.slug, "question_set_version": 1})
    return result


LOADERS = [load_glossary, load_framework]
