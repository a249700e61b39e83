"""Every write in qualification: the framework and its questions, applications, assessment and the register.

Each function takes keyword arguments only, runs in one transaction, writes its audit event in that transaction,
and raises ValidationError (field names matching the forms; a plain message for the page when no field applies)
writing nothing. Permission to call a function is checked by the pages and the API with rules; the business
rules that must hold whoever calls (an assessor with a conflict, a late change, a decision without reasons) are
checked here.
"""

import dataclasses
import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_framework.accounts.models import Role, RoleGrant
from dynamic_framework.accounts.rules import has_role
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core import audit
from dynamic_framework.core.money import MoneyError, parse_pounds
from dynamic_framework.core.uploads import check_upload
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations import services as organisation_services
from dynamic_framework.organisations.classification import LEGAL_FORMS, size_band_for
from dynamic_framework.organisations.identifiers import normalise as normalise_identifier
from dynamic_framework.organisations.models import Organisation

from . import answers as answer_rules
from . import tasks
from .content import (
    ContentError,
    Kind,
    SectionKind,
    count_words,
    parse_content,
)
from .models import (
    Application,
    ApplicationCategory,
    ApplicationDocument,
    Clarification,
    ConflictOfInterest,
    DetailsConfirmation,
    Framework,
    FrameworkExtension,
    GlossaryTerm,
    Qualification,
    QualifiedArea,
    QuestionSet,
    SectionAssessment,
    Suspension,
    add_months,
)
from .rules import forget_conflicts, has_conflict_with

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out on the phone
NOTE_WORD_LIMIT = 500


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_text(value, field: str, message: str, *, max_words: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if max_words and count_words(text) > max_words:
        raise ValidationError({field: _("This must be %(limit)s words or fewer") % {"limit": max_words}})
    return text


# The framework -------------------------------------------------------------------------------------------


def framework_snapshot(framework: Framework) -> dict:
    return {
        "name": framework.name,
        "purpose": framework.purpose,
        "starts_on": framework.starts_on,
        "ends_on": framework.ends_on,
        "confirmation_interval_months": framework.confirmation_interval_months,
        "opened_at": framework.opened_at,
        "closed_at": framework.closed_at,
        "closed_reason": framework.closed_reason,
    }


def update_framework(
    *,
    actor,
    framework: Framework,
    name: str,
    purpose: str,
    starts_on: date,
    ends_on: date,
    confirmation_interval_months: int,
) -> Framework:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Enter the framework's name")
    elif len(name) > 200:
        errors["name"] = _("The name must be 200 characters or fewer")
    elif Framework.objects.filter(name__iexact=name).exclude(pk=framework.pk).exists():
        errors["name"] = _("There is already a framework with this name")
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Say what the framework is for")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("The end date must be after the start date")
    if not isinstance(confirmation_interval_months, int) or not 1 <= confirmation_interval_months <= 36:
        errors["confirmation_interval_months"] = _("Enter a number of months from 1 to 36")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        before = framework_snapshot(framework)
        framework.name, framework.purpose = name, purpose
        framework.starts_on, framework.ends_on = starts_on, ends_on
        framework.confirmation_interval_months = confirmation_interval_months
        framework.save()
        after = framework_snapshot(framework)
        changed = [k for k in after if audit._normalise(after[k]) != audit._normalise(before[k])]
        if changed:
            audit.record(
                actor=actor,
                action="qualification.framework_updated",
                obj=framework,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return framework


def open_framework(*, actor, framework: Framework) -> Framework:
    """Open for applications (or reopen after closing early)."""
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.opened_at and not framework.closed_at:
            raise ValidationError(_("The framework is already open for applications"))
        if timezone.localdate() > framework.effective_end:
            raise ValidationError(_("The framework has ended, so it cannot open again"))
        before = framework_snapshot(framework)
        if not framework.opened_at:
            framework.opened_at, framework.opened_by = timezone.now(), _user(actor)
        framework.closed_at, framework.closed_by, framework.closed_reason = None, None, ""
        framework.save()
        audit.record(
            actor=actor,
            action="qualification.framework_opened",
            obj=framework,
            before=before,
            after=framework_snapshot(framework),
        )
    return framework


def close_framework(*, actor, framework: Framework, reason: str) -> Framework:
    """Close to new applications early. Applications already submitted are still assessed."""
    reason = _require_text(reason, "reason", _("Say why the framework is closing to new applications"))
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if not framework.opened_at or framework.closed_at:
            raise ValidationError(_("The framework is not open for applications"))
        framework.closed_at, framework.closed_by, framework.closed_reason = timezone.now(), _user(actor), reason
        framework.save()
        audit.record(
            actor=actor, action="qualification.framework_closed", obj=framework, after=framework_snapshot(framework)
        )
    return framework


def exercise_extension(*, actor, extension: FrameworkExtension) -> FrameworkExtension:
    """Extend the framework by one option. Options are exercised in order, by their latest date."""
    with transaction.atomic():
        extension = FrameworkExtension.objects.select_for_update().select_related("framework").get(pk=extension.pk)
        if extension.exercised_at:
            raise ValidationError(_("This extension has already been used"))
        earlier = extension.framework.extensions.filter(position__lt=extension.position, exercised_at__isnull=True)
        if earlier.exists():
            raise ValidationError(_("Use the earlier extensions first"))
        if timezone.localdate() > extension.exercise_by:
            raise ValidationError(_("The last date to use this extension has passed"))
        before_end = extension.framework.effective_end
        extension.exercised_at, extension.exercised_by = timezone.now(), _user(actor)
        extension.save()
        new_end = add_months(before_end, extension.months)
        audit.record(
            actor=actor,
            action="qualification.framework_extended",
            obj=extension.framework,
            before={"ends_on": before_end},
            after={"ends_on": new_end, "extension": extension.position, "months": extension.months},
        )
    return extension


# Questions ---------------------------------------------------------------------------------------------------


def glossary_slugs() -> set[str]:
    return set(GlossaryTerm.objects.values_list("slug", flat=True))


def current_question_set(framework: Framework) -> QuestionSet | None:
    return framework.question_sets.filter(published_at__isnull=False).order_by("-version").first()


def _draft_for_change(question_set: QuestionSet) -> QuestionSet:
    question_set = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    if question_set.published_at:
        raise ValidationError(_("This version is published, so it cannot change. Make a new version to change it."))
    return question_set


def _save_content(*, actor, question_set: QuestionSet, data: dict, action: str, detail: dict) -> QuestionSet:
    try:
        parse_content(data, glossary=glossary_slugs())
    except ContentError as exc:
        raise ValidationError(exc.errors) from exc
    before = question_set.content
    question_set.content = data
    question_set.save(update_fields=["content"])
    question_set.__dict__.pop("parsed", None)
    if before != data:
        audit.record(actor=actor, action=action, obj=question_set, after={"version": question_set.version, **detail})
    return question_set


def start_new_version(*, actor, framework: Framework) -> QuestionSet:
    """A draft copy of the latest version, for framework managers to change and then publish."""
    with transaction.atomic():
        Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.question_sets.filter(published_at__isnull=True).exists():
            raise ValidationError(_("There is already a draft version. Change that one, or publish it first."))
        latest = framework.question_sets.order_by("-version").first()
        draft = QuestionSet.objects.create(
            framework=framework,
            version=(latest.version + 1) if latest else 1,
            content=latest.content if latest else {"sections": []},
            created_by=_user(actor),
        )
        audit.record(
            actor=actor,
            action="qualification.question_set_drafted",
            obj=draft,
            after={"version": draft.version, "copied_from": latest.version if latest else None},
        )
    return draft


def update_section_text(
    *, actor, question_set: QuestionSet, section_key: str, title: str, guidance: str
) -> QuestionSet:
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        data = {"sections": [dict(s) for s in question_set.content["sections"]]}
        section = next((s for s in data["sections"] if s["key"] == section_key), None)
        if section is None:
            raise ValidationError(_("There is no section %(key)s in this version") % {"key": section_key})
        title = (title or "").strip()
        if not title:
            raise ValidationError({"title": _("Enter the section's title")})
        if len(title) > 100:
            raise ValidationError({"title": _("The title must be 100 characters or fewer")})
        section["title"] = title
        guidance = (guidance or "").strip()
        if guidance:
            section["guidance"] = guidance
        else:
            section.pop("guidance", None)
        return _save_content(
            actor=actor,
            question_set=question_set,
            data=data,
            action="qualification.question_set_section_changed",
            detail={"section": section_key, "title": title, "guidance": guidance},
        )


QUESTION_FIELDS = {
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


def _question_dict(raw: dict) -> dict:
    """Tidy a question from a form: drop empty optional fields so the stored content stays minimal."""
    out = {}
    for key, value in raw.items():
        if key not in QUESTION_FIELDS | {"key"}:
            raise TypeError(f"unknown question field {key}")
        if value in ("", None, [], ()):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    if out.get("required") is True:
        out.pop("required")
    return out


def update_question(*, actor, question_set: QuestionSet, question_key: str, **fields) -> QuestionSet:
    """Change a question's wording or rules. The key (and so the answers' meaning) stays."""
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        data = {
            "sections": [
                dict(s, questions=[dict(q) for q in s.get("questions", [])]) for s in question_set.content["sections"]
            ]
        }
        for section in data["sections"]:
            for index, question in enumerate(section["questions"]):
                if question["key"] == question_key:
                    section["questions"][index] = _question_dict({**{"key": question_key}, **fields})
                    if not section["questions"]:
                        section.pop("questions")
                    return _save_content(
                        actor=actor,
                        question_set=question_set,
                        data=_drop_empty_lists(data),
                        action="qualification.question_set_question_changed",
                        detail={"question": question_key, "fields": sorted(fields)},
                    )
        raise ValidationError(_("There is no question %(key)s in this version") % {"key": question_key})


def _drop_empty_lists(data: dict) -> dict:
    for section in data["sections"]:
        if "questions" in section and not section["questions"]:
            section.pop("questions")
    return data


def add_question(*, actor, question_set: QuestionSet, section_key: str, key: str, **fields) -> QuestionSet:
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        data = {
            "sections": [
                dict(s, questions=[dict(q) for q in s.get("questions", [])]) for s in question_set.content["sections"]
            ]
        }
        section = next((s for s in data["sections"] if s["key"] == section_key), None)
        if section is None:
            raise ValidationError(_("There is no section %(key)s in this version") % {"key": section_key})
        if section.get("kind") != SectionKind.QUESTIONS:
            raise ValidationError(_("Questions can only be added to sections of questions"))
        section["questions"].append(_question_dict({"key": key, **fields}))
        return _save_content(
            actor=actor,
            question_set=question_set,
            data=_drop_empty_lists(data),
            action="qualification.question_set_question_added",
            detail={"section": section_key, "question": key},
        )


def remove_question(*, actor, question_set: QuestionSet, question_key: str) -> QuestionSet:
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        data = {
            "sections": [
                dict(s, questions=[dict(q) for q in s.get("questions", [])]) for s in question_set.content["sections"]
            ]
        }
        for section in data["sections"]:
            kept = [q for q in section["questions"] if q["key"] != question_key]
            if len(kept) != len(section["questions"]):
                if section.get("kind") != SectionKind.QUESTIONS:
                    raise ValidationError(_("This question cannot be removed: the service needs it"))
                section["questions"] = kept
                return _save_content(
                    actor=actor,
                    question_set=question_set,
                    data=_drop_empty_lists(data),
                    action="qualification.question_set_question_removed",
                    detail={"section": section["key"], "question": question_key},
                )
        raise ValidationError(_("There is no question %(key)s in this version") % {"key": question_key})


def publish_question_set(*, actor, question_set: QuestionSet, change_note: str) -> QuestionSet:
    """Publish a draft: new applications answer it; applications already started keep their version."""
    change_note = _require_text(change_note, "change_note", _("Say what has changed in this version"))
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        try:
            parse_content(question_set.content, glossary=glossary_slugs())
        except ContentError as exc:
            raise ValidationError(exc.errors) from exc
        question_set.published_at, question_set.published_by = timezone.now(), _user(actor)
        question_set.change_note = change_note
        question_set.save(update_fields=["published_at", "published_by", "change_note"])
        audit.record(
            actor=actor,
            action="qualification.question_set_published",
            obj=question_set,
            after={"version": question_set.version, "change_note": change_note},
        )
    return question_set


def discard_draft(*, actor, question_set: QuestionSet) -> None:
    with transaction.atomic():
        question_set = _draft_for_change(question_set)
        if question_set.applications.exists():
            raise ValidationError(_("Applications use this version, so it cannot be discarded"))
        audit.record(
            actor=actor,
            action="qualification.question_set_discarded",
            obj=question_set,
            after={"version": question_set.version},
        )
        question_set.delete()


# Applications: starting and answering ------------------------------------------------------------------------


def _new_reference() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
        reference = f"DFQ-{code[:4]}-{code[4:]}"
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find a free application reference")


def _identifier(org: Organisation, scheme: str) -> str:
    for identifier in org.identifiers.all():
        if identifier.scheme == scheme:
            return identifier.identifier
    return ""


def organisation_details_from(org: Organisation) -> dict:
    """The organisation section, prefilled from the organisation record."""
    return {
        "name": org.name,
        "legal_form": org.legal_form,
        "charity_number": _identifier(org, "GB-CHC"),
        "company_number": _identifier(org, "GB-COH"),
        "income_pence": org.latest_income_pence,
        "income_year": org.income_year,
        "address": org.address,
        "contact_email": org.contact_email,
        "contact_phone": org.contact_phone,
    }


def application_snapshot(application: Application) -> dict:
    return {
        "reference": application.reference,
        "organisation": application.organisation.slug,
        "question_set_version": application.question_set.version,
        "size_band": application.size_band,
        "categories": sorted(application.category_choices.values_list("category__slug", flat=True)),
        "pcc_areas": sorted(application.pcc_areas.values_list("slug", flat=True)),
    }


def start_application(*, actor, organisation: Organisation, framework: Framework) -> Application:
    """A new draft application, answering the latest published questions."""
    if organisation.kind != Organisation.Kind.PROVIDER:
        raise ValidationError(_("Only provider organisations can apply to join the framework"))
    if not framework.is_open:
        raise ValidationError(_("The framework is not open for applications at the moment"))
    question_set = current_question_set(framework)
    if question_set is None:
        raise ValidationError(_("The framework has no published questions yet"))
    with transaction.atomic():
        Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
        if Application.objects.open().filter(framework=framework, organisation=organisation).exists():
            raise ValidationError(_("Your organisation already has an application in progress"))
        details = organisation_details_from(organisation)
        application = Application(
            framework=framework,
            organisation=organisation,
            question_set=question_set,
            reference=_new_reference(),
            organisation_details=details,
            size_band=size_band_for(details["income_pence"]) if details["income_pence"] is not None else "",
            started_by=actor,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ValidationError(_("Your organisation already has an application in progress")) from exc
        audit.record(
            actor=actor,
            action="qualification.application_started",
            obj=application,
            after=application_snapshot(application),
        )
    return application


def _check_draft(application: Application) -> None:
    if application.withdrawn_at:
        raise ValidationError(_("This application has been withdrawn"))
    if application.submitted_at:
        raise ValidationError(_("This application has been submitted, so it cannot be changed"))


def _lock_draft(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("question_set", "organisation")
        .get(pk=application.pk)
    )
    _check_draft(locked)
    return locked


def _touch(application: Application, fields: list[str]) -> None:
    application.updated_at = timezone.now()
    application.save(update_fields=[*fields, "updated_at"])


ORGANISATION_FIELDS = [
    "name",
    "legal_form",
    "charity_number",
    "company_number",
    "income",
    "income_year",
    "address",
    "contact_email",
    "contact_phone",
]
ORGANISATION_REQUIRED = {
    "name": _("Enter the name of your organisation"),
    "legal_form": _("Select what kind of organisation it is"),
    "income": _("Enter your latest annual income"),
    "income_year": _("Enter the financial year of that income, like 2025-26"),
    "address": _("Enter your organisation's address"),
    "contact_email": _("Enter an email address we can contact you on"),
}


def check_organisation_details(*, organisation: Organisation, raw: dict, complete: bool) -> dict:
    """Clean the organisation section's fields (as typed) into stored details, or raise ValidationError."""
    errors: dict[str, str] = {}
    values = {f: (raw.get(f) or "").strip() if isinstance(raw.get(f), str) else raw.get(f) for f in ORGANISATION_FIELDS}
    values = {f: ("" if v is None else v) for f, v in values.items()}
    if complete:
        for field, message in ORGANISATION_REQUIRED.items():
            if not values[field]:
                errors[field] = message
    income_pence = None
    if values["income"] != "":
        try:
            income_pence = parse_pounds(str(values["income"]))
        except MoneyError as exc:
            errors["income"] = str(exc)
    identifiers = []
    for field, scheme in (("charity_number", "GB-CHC"), ("company_number", "GB-COH")):
        if values[field]:
            try:
                values[field] = normalise_identifier(scheme, values[field])
                identifiers.append((scheme, values[field]))
            except ValidationError as exc:
                errors[field] = " ".join(exc.message_dict.get("identifier", exc.messages))
    if values["legal_form"] and values["legal_form"] not in LEGAL_FORMS:
        errors["legal_form"] = _("Select what kind of organisation it is")
    changes = {}
    for field in ("name", "legal_form", "address", "contact_email", "contact_phone"):
        if values[field]:
            changes[field] = values[field]
    if income_pence is not None or values["income_year"]:
        changes["latest_income_pence"] = income_pence
        changes["income_year"] = values["income_year"]
    if identifiers:
        kept = [
            (i.scheme, i.identifier) for i in organisation.identifiers.all() if i.scheme not in {"GB-CHC", "GB-COH"}
        ]
        changes["identifiers"] = kept + identifiers
    try:
        organisation_services.validate_changes(organisation=organisation, **changes)
    except ValidationError as exc:
        names = {"latest_income_pence": "income", "identifiers": "charity_number"}
        for field, messages in exc.message_dict.items():
            errors.setdefault(names.get(field, field), " ".join(messages))
    if errors:
        raise ValidationError(errors)
    return {
        "name": values["name"],
        "legal_form": values["legal_form"],
        "charity_number": values["charity_number"],
        "company_number": values["company_number"],
        "income_pence": income_pence,
        "income_year": values["income_year"],
        "address": values["address"],
        "contact_email": values["contact_email"],
        "contact_phone": values["contact_phone"],
    }


def save_organisation_section(*, actor, application: Application, raw: dict, complete: bool = True) -> Application:
    """Save the organisation section. The organisation record itself is updated when the application is submitted."""
    with transaction.atomic():
        application = _lock_draft(application)
        details = check_organisation_details(organisation=application.organisation, raw=raw, complete=complete)
        before = {"size_band": application.size_band}
        application.organisation_details = details
        application.size_band = size_band_for(details["income_pence"]) if details["income_pence"] is not None else ""
        _touch(application, ["organisation_details", "size_band"])
        audit.record(
            actor=actor,
            action="qualification.application_section_saved",
            obj=application,
            before=before,
            after={"section": "organisation", "size_band": application.size_band},
        )
    return application


def save_scope(*, actor, application: Application, categories: Iterable, pcc_areas: Iterable, complete: bool = True):
    """The categories and PCC areas applied for (instances or slugs)."""
    _check_draft(application)
    errors = {}
    category_slugs = [getattr(c, "slug", c) for c in categories]
    area_slugs = [getattr(a, "slug", a) for a in pcc_areas]
    allowed = {c.slug: c for c in application.framework.categories.all()}
    unknown = [s for s in category_slugs if s not in allowed]
    if unknown:
        errors["categories"] = _("Select types of service from the list")
    areas = {a.slug: a for a in PccArea.objects.filter(slug__in=area_slugs).select_related("region")}
    if len(areas) != len(set(area_slugs)):
        errors["pcc_areas"] = _("Select areas from the list")
    if complete and not category_slugs and "categories" not in errors:
        errors["categories"] = _("Select at least one type of service")
    if complete and not area_slugs and "pcc_areas" not in errors:
        errors["pcc_areas"] = _("Select at least one area")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = _lock_draft(application)
        before = application_snapshot(application)
        wanted = {allowed[s] for s in category_slugs}
        application.category_choices.exclude(category__in=wanted).delete()
        have = set(application.category_choices.values_list("category_id", flat=True))
        ApplicationCategory.objects.bulk_create(
            [ApplicationCategory(application=application, category=c) for c in wanted if c.pk not in have]
        )
        application.pcc_areas.set(areas.values())
        _touch(application, [])
        after = application_snapshot(application)
        if after != before:
            audit.record(
                actor=actor,
                action="qualification.application_section_saved",
                obj=application,
                before={k: before[k] for k in ("categories", "pcc_areas")},
                after={"section": "scope", "categories": after["categories"], "pcc_areas": after["pcc_areas"]},
            )
    return application


def applies_in_wales(application: Application) -> bool:
    return application.pcc_areas.filter(region__nation="Wales").exists()


def _store_document(*, actor, application: Application, key: str, uploaded, checked) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        question_key=key,
        original_name=checked.name,
        content_type=checked.content_type,
        size_bytes=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    document.file.save(checked.name, uploaded, save=False)
    document.save()
    return document


def save_section(
    *, actor, application: Application, section_key: str, raw: dict, files: dict | None = None, complete: bool = True
) -> Application:
    """Save the answers to a section of questions (or the case studies). Uploaded files are checked by type and
    content before anything is saved; on any error nothing is saved and no file is kept."""
    files = files or {}
    _check_draft(application)
    content = application.question_set.parsed
    section = content.section(section_key)
    if section is None or section.kind not in {SectionKind.QUESTIONS, SectionKind.CASE_STUDIES}:
        raise ValidationError(_("There is no such section"))
    if not application.size_band:
        raise ValidationError(_("Fill in the section about your organisation first: its size decides the questions"))
    in_wales = applies_in_wales(application)
    if not section.applies(in_wales=in_wales):
        raise ValidationError(_("This section does not apply to your application"))
    errors: dict[str, str] = {}
    cleaned: dict = {}
    checked_files = {}
    if section.kind == SectionKind.CASE_STUDIES:
        question = section.case_study
        for choice in application.category_choices.select_related("category"):
            key = answer_rules.case_study_key(choice.category.slug)
            label = question.label.replace("{category}", choice.category.name.lower())
            value, problems = answer_rules.check_answer(
                dataclasses.replace(question, key=key, label=label),
                raw,
                label=label,
                required=complete,
            )
            errors.update(problems)
            if value is not None:
                cleaned[key] = value
    else:
        for question in section.questions_for(application.size_band, in_wales=in_wales):
            if question.kind == Kind.FILE:
                uploaded = files.get(question.key)
                existing = application.answers.get(question.key)
                if uploaded is not None:
                    try:
                        checked_files[question.key] = (uploaded, check_upload(uploaded, field=question.key))
                    except ValidationError as exc:
                        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
                elif not existing and complete and question.required:
                    errors[question.key] = _("Select a file")
                continue
            value, problems = answer_rules.check_answer(question, raw, required=complete and question.required)
            errors.update(problems)
            if value is not None:
                cleaned[question.key] = value
            elif question.key in raw or question.kind in {Kind.CHECKLIST, Kind.DATE}:
                cleaned[question.key] = None  # cleared
    if errors:
        raise ValidationError(errors)
    stored = []
    try:
        with transaction.atomic():
            application = _lock_draft(application)
            answers = dict(application.answers)
            for key, value in cleaned.items():
                if value is None:
                    answers.pop(key, None)
                else:
                    answers[key] = value
            for key, (uploaded, checked) in checked_files.items():
                document = _store_document(
                    actor=actor, application=application, key=key, uploaded=uploaded, checked=checked
                )
                stored.append(document)
                answers[key] = {"document": document.pk, "name": document.original_name}
            application.answers = answers
            _touch(application, ["answers"])
            audit.record(
                actor=actor,
                action="qualification.application_section_saved",
                obj=application,
                after={
                    "section": section_key,
                    "answered": sorted(k for k in cleaned if cleaned[k] is not None),
                    "documents": [{"question": d.question_key, "sha256": d.sha256} for d in stored],
                },
            )
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return application


def remove_document(*, actor, application: Application, question_key: str) -> Application:
    """Take a document out of the answers (the file stays, for the audit trail, but is no longer an answer)."""
    with transaction.atomic():
        application = _lock_draft(application)
        answer = application.answers.get(question_key)
        if not isinstance(answer, dict) or "document" not in answer:
            raise ValidationError(_("There is no document to remove"))
        answers = dict(application.answers)
        answers.pop(question_key)
        application.answers = answers
        _touch(application, ["answers"])
        audit.record(
            actor=actor,
            action="qualification.application_document_removed",
            obj=application,
            after={"question": question_key, "document": answer["document"]},
        )
    return application


# Progress ---------------------------------------------------------------------------------------------------


class SectionState:
    CANNOT_START = "cannot_start"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


def section_state(application: Application, section, *, in_wales: bool, category_slugs: list[str]) -> str:
    answers = application.answers
    if section.kind == SectionKind.ORGANISATION:
        details = application.organisation_details or {}
        filled = [
            f for f in ORGANISATION_REQUIRED if details.get({"income": "income_pence"}.get(f, f)) not in ("", None)
        ]
        if len(filled) == len(ORGANISATION_REQUIRED) and application.size_band:
            return SectionState.COMPLETED
        return SectionState.IN_PROGRESS if filled else SectionState.NOT_STARTED
    if section.kind == SectionKind.SCOPE:
        has_categories, has_areas = bool(category_slugs), application.pcc_areas.exists()
        if has_categories and has_areas:
            return SectionState.COMPLETED
        return SectionState.IN_PROGRESS if (has_categories or has_areas) else SectionState.NOT_STARTED
    if not application.size_band:
        return SectionState.CANNOT_START
    if section.kind == SectionKind.CASE_STUDIES:
        if not category_slugs:
            return SectionState.CANNOT_START
        done = [s for s in category_slugs if answers.get(answer_rules.case_study_key(s))]
        if len(done) == len(category_slugs):
            return SectionState.COMPLETED
        return SectionState.IN_PROGRESS if done else SectionState.NOT_STARTED
    questions = section.questions_for(application.size_band, in_wales=in_wales)
    answered = [q for q in questions if answer_rules.is_answered(q, answers.get(q.key))]
    required = [q for q in questions if q.required]
    if all(answer_rules.is_answered(q, answers.get(q.key)) for q in required):
        return SectionState.COMPLETED
    return SectionState.IN_PROGRESS if answered else SectionState.NOT_STARTED


def progress(application: Application) -> list[tuple]:
    """[(section, state)] for the sections that apply to this application, in order."""
    in_wales = applies_in_wales(application)
    category_slugs = list(application.category_choices.values_list("category__slug", flat=True))
    return [
        (section, section_state(application, section, in_wales=in_wales, category_slugs=category_slugs))
        for section in application.question_set.parsed.sections_for(in_wales=in_wales)
    ]


def incomplete_sections(application: Application) -> list:
    return [section for section, state in progress(application) if state != SectionState.COMPLETED]


# Submitting and withdrawing ------------------------------------------------------------------------------------


def _organisation_changes(application: Application) -> dict:
    details = application.organisation_details
    org = application.organisation
    changes = {
        "name": details["name"],
        "legal_form": details["legal_form"],
        "latest_income_pence": details["income_pence"],
        "income_year": details["income_year"],
        "address": details["address"],
        "contact_email": details["contact_email"],
        "contact_phone": details["contact_phone"],
    }
    identifiers = [(i.scheme, i.identifier) for i in org.identifiers.all() if i.scheme not in {"GB-CHC", "GB-COH"}]
    for field, scheme in (("charity_number", "GB-CHC"), ("company_number", "GB-COH")):
        if details.get(field):
            identifiers.append((scheme, details[field]))
    changes["identifiers"] = identifiers
    return changes


def submit_application(
    *, actor, application: Application, declaration_name: str, declaration_role: str, declared: bool
):
    """Submit for assessment. Updates the organisation's public record with the details given in the application.
    Submitting again (a repeated click) changes nothing and returns the submitted application."""
    errors = {}
    declaration_name = " ".join((declaration_name or "").split())
    declaration_role = " ".join((declaration_role or "").split())
    if not declared:
        errors["declared"] = _("Confirm that the information you have given is true")
    if not declaration_name:
        errors["declaration_name"] = _("Enter your full name")
    elif len(declaration_name) > 200:
        errors["declaration_name"] = _("Your name must be 200 characters or fewer")
    if not declaration_role:
        errors["declaration_role"] = _("Enter your role in the organisation")
    elif len(declaration_role) > 200:
        errors["declaration_role"] = _("Your role must be 200 characters or fewer")
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("question_set", "organisation", "framework")
            .get(pk=application.pk)
        )
        if locked.submitted_at:
            if locked.submitted_by_id == getattr(actor, "pk", None):
                return locked
            raise ValidationError(_("This application has already been submitted"))
        if locked.withdrawn_at:
            raise ValidationError(_("This application has been withdrawn"))
        if not getattr(actor, "has_confirmed_email", True):
            raise ValidationError(
                _("Confirm your email address before you submit: use the link we emailed to %(email)s")
                % {"email": actor.email}
            )
        if not locked.framework.is_open:
            raise ValidationError(_("The framework is not open for applications at the moment"))
        missing = incomplete_sections(locked)
        if missing:
            raise ValidationError(
                _("Complete every section before you submit: %(sections)s")
                % {"sections": ", ".join(s.title for s in missing)}
            )
        if errors:
            raise ValidationError(errors)
        organisation_services.update_organisation(
            actor=actor, organisation=locked.organisation, **_organisation_changes(locked)
        )
        locked.submitted_at, locked.submitted_by = timezone.now(), actor
        locked.declaration_name, locked.declaration_role = declaration_name, declaration_role
        _touch(locked, ["submitted_at", "submitted_by", "declaration_name", "declaration_role"])
        audit.record(
            actor=actor,
            action="qualification.application_submitted",
            obj=locked,
            after={**application_snapshot(locked), "declaration_name": declaration_name},
        )
        transaction.on_commit(lambda: tasks.send_application_submitted_email.enqueue(application_id=locked.pk))
    return locked


def withdraw_application(*, actor, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.withdrawn_at:
            raise ValidationError(_("This application has already been withdrawn"))
        if locked.decided_at:
            raise ValidationError(_("A decision has been made on this application, so it cannot be withdrawn"))
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), actor
        locked.withdrawn_reason = (reason or "").strip()
        _touch(locked, ["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit.record(
            actor=actor,
            action="qualification.application_withdrawn",
            obj=locked,
            after={"reference": locked.reference, "reason": locked.withdrawn_reason},
        )
    return locked


# Assessment ----------------------------------------------------------------------------------------------------


def is_assessor(user) -> bool:
    return has_role(user, Role.FRAMEWORK_MANAGER) or has_role(user, Role.EVALUATOR)


def assessors():
    """Everyone who can be given applications to assess: framework managers and evaluators."""
    from dynamic_framework.accounts.models import User

    ids = RoleGrant.objects.active().filter(role__in=[Role.FRAMEWORK_MANAGER, Role.EVALUATOR]).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def _lock_in_assessment(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("question_set", "organisation")
        .get(pk=application.pk)
    )
    if not locked.submitted_at:
        raise ValidationError(_("This application has not been submitted"))
    if locked.withdrawn_at:
        raise ValidationError(_("This application has been withdrawn"))
    if locked.decided_at:
        raise ValidationError(_("A decision has already been made on this application"))
    return locked


def assign_application(*, actor, application: Application, assessor) -> Application:
    """Give the application to an assessor (a framework manager or evaluator without a conflict)."""
    if assessor is None or not assessor.is_active or not is_assessor(assessor):
        raise ValidationError({"assessor": _("Choose an assessor from the list")})
    if has_conflict_with(assessor, application.organisation_id):
        raise ValidationError(
            {
                "assessor": _("%(name)s has a conflict of interest with %(org)s: choose someone else")
                % {"name": assessor.full_name or assessor.email, "org": application.organisation.name}
            }
        )
    with transaction.atomic():
        locked = _lock_in_assessment(application)
        before = {"assigned_to": locked.assigned_to.email if locked.assigned_to_id else None}
        if locked.assigned_to_id == assessor.pk:
            return locked
        locked.assigned_at, locked.assigned_to, locked.assigned_by = timezone.now(), assessor, _user(actor)
        _touch(locked, ["assigned_at", "assigned_to", "assigned_by"])
        audit.record(
            actor=actor,
            action="qualification.application_assigned",
            obj=locked,
            before=before,
            after={"assigned_to": assessor.email},
        )
        transaction.on_commit(lambda: tasks.send_application_assigned_email.enqueue(application_id=locked.pk))
    return locked


def declare_conflict(*, actor, organisation: Organisation, reason: str) -> ConflictOfInterest:
    """An assessor declares a conflict with an organisation. Applications from it that were assigned to them go
    back to the queue, so that a framework manager gives them to someone else."""
    reason = _require_text(reason, "reason", _("Say what the conflict of interest is"), max_words=200)
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation")})
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            user=actor, organisation=organisation, defaults={"reason": reason}
        )
        if not created:
            raise ValidationError({"organisation": _("You have already declared a conflict with this organisation")})
        audit.record(
            actor=actor,
            action="qualification.conflict_declared",
            obj=conflict,
            after={"organisation": organisation.slug, "reason": reason},
        )
        for application in (
            Application.objects.open().filter(organisation=organisation, assigned_to=actor).select_for_update()
        ):
            application.assigned_at = application.assigned_to = application.assigned_by = None
            _touch(application, ["assigned_at", "assigned_to", "assigned_by"])
            audit.record(
                actor=actor,
                action="qualification.application_unassigned",
                obj=application,
                before={"assigned_to": actor.email},
                after={"assigned_to": None, "why": "conflict of interest declared"},
            )
    forget_conflicts(actor)
    return conflict


def assessable_sections(application: Application) -> list[tuple[str, str]]:
    """(section key, title) of what an assessor assesses: each section that applies, and each case study."""
    in_wales = applies_in_wales(application)
    out = []
    for section in application.question_set.parsed.sections_for(in_wales=in_wales):
        if section.kind == SectionKind.CASE_STUDIES:
            for choice in application.category_choices.select_related("category"):
                out.append((f"{section.key}:{choice.category.slug}", f"{section.title}: {choice.category.name}"))
        else:
            out.append((section.key, section.title))
    return out


def latest_assessments(application: Application) -> dict[str, SectionAssessment]:
    latest = {}
    for assessment in application.section_assessments.order_by("assessed_at", "id"):
        latest[assessment.section_key] = assessment
    return latest


def assess_section(
    *, actor, application: Application, section_key: str, outcome: str, note: str = ""
) -> SectionAssessment:
    """Pass, fail, or ask the applicant a question about one section (a clarification)."""
    if outcome not in SectionAssessment.Outcome.values:
        raise ValidationError({"outcome": _("Select pass, fail or clarification needed")})
    note = (note or "").strip()
    if outcome != SectionAssessment.Outcome.PASS and not note:
        message = (
            _("Write the question for the applicant")
            if outcome == SectionAssessment.Outcome.CLARIFICATION
            else _("Say why the section fails")
        )
        raise ValidationError({"note": message})
    if count_words(note) > NOTE_WORD_LIMIT:
        raise ValidationError({"note": _("This must be %(limit)s words or fewer") % {"limit": NOTE_WORD_LIMIT}})
    with transaction.atomic():
        locked = _lock_in_assessment(application)
        if locked.assigned_to_id != getattr(actor, "pk", None):
            raise ValidationError(_("Only the assessor this application is assigned to can assess it"))
        if has_conflict_with(actor, locked.organisation_id):
            raise ValidationError(_("You have a conflict of interest with this organisation, so you cannot assess it"))
        if section_key not in dict(assessable_sections(locked)):
            raise ValidationError(_("There is no such section in this application"))
        if locked.clarifications.filter(section_key=section_key, answered_at__isnull=True).exists():
            raise ValidationError(_("The applicant has not answered your question about this section yet"))
        assessment = SectionAssessment.objects.create(
            application=locked, section_key=section_key, outcome=outcome, note=note, assessed_by=actor
        )
        audit.record(
            actor=actor,
            action="qualification.section_assessed",
            obj=locked,
            after={"section": section_key, "outcome": outcome, "note": note},
        )
        if outcome == SectionAssessment.Outcome.CLARIFICATION:
            clarification = Clarification.objects.create(
                application=locked, section_key=section_key, question=note, requested_by=actor
            )
            audit.record(
                actor=actor,
                action="qualification.clarification_requested",
                obj=clarification,
                after={"application": locked.reference, "section": section_key, "question": note},
            )
            transaction.on_commit(
                lambda: tasks.send_clarification_requested_email.enqueue(clarification_id=clarification.pk)
            )
    return assessment


def answer_clarification(*, actor, clarification: Clarification, answer: str, uploaded=None) -> Clarification:
    answer = _require_text(answer, "answer", _("Enter your answer"), max_words=NOTE_WORD_LIMIT)
    checked = check_upload(uploaded, field="document") if uploaded is not None else None
    document = None
    try:
        with transaction.atomic():
            locked = (
                Clarification.objects.select_for_update(of=("self",))
                .select_related("application")
                .get(pk=clarification.pk)
            )
            application = locked.application
            if locked.answered_at:
                raise ValidationError(_("This question has already been answered"))
            if application.decided_at or application.withdrawn_at:
                raise ValidationError(_("This application is closed"))
            if checked is not None:
                document = _store_document(
                    actor=actor,
                    application=application,
                    key=f"clarification-{locked.pk}",
                    uploaded=uploaded,
                    checked=checked,
                )
            locked.answer, locked.document = answer, document
            locked.answered_at, locked.answered_by = timezone.now(), actor
            locked.save(update_fields=["answer", "document", "answered_at", "answered_by"])
            audit.record(
                actor=actor,
                action="qualification.clarification_answered",
                obj=locked,
                after={
                    "application": application.reference,
                    "section": locked.section_key,
                    "answer": answer,
                    "document_sha256": document.sha256 if document else None,
                },
            )
            transaction.on_commit(lambda: tasks.send_clarification_answered_email.enqueue(clarification_id=locked.pk))
    except Exception:
        if document is not None:
            document.file.delete(save=False)
        raise
    return locked


def decision_readiness(application: Application) -> list[str]:
    """What stops a decision being made now (empty when it can be made)."""
    problems = []
    latest = latest_assessments(application)
    for key, title in assessable_sections(application):
        assessment = latest.get(key)
        if assessment is None or assessment.outcome == SectionAssessment.Outcome.CLARIFICATION:
            problems.append(_("%(section)s has not been passed or failed yet") % {"section": title})
    if application.clarifications.filter(answered_at__isnull=True).exists():
        problems.append(_("A question to the applicant has not been answered yet"))
    return problems


def qualifying_categories(application: Application) -> set[str]:
    """Category slugs whose case study passed, when every other section passed too (else none)."""
    latest = latest_assessments(application)
    passed = {key for key, a in latest.items() if a.outcome == SectionAssessment.Outcome.PASS}
    general = [key for key, _title in assessable_sections(application) if ":" not in key]
    if not all(key in passed for key in general):
        return set()
    case_study = application.question_set.parsed.case_study_section
    return {
        slug
        for slug in application.category_choices.values_list("category__slug", flat=True)
        if case_study is None or f"{case_study.key}:{slug}" in passed
    }


def decide_application(*, actor, application: Application, decisions: dict[str, tuple[str, str]]) -> Application:
    """Decide every category applied for: {category slug: (outcome, reasons for the applicant)}. Qualified
    categories go on the register for the areas applied for."""
    with transaction.atomic():
        locked = _lock_in_assessment(application)
        if has_conflict_with(actor, locked.organisation_id):
            raise ValidationError(_("You have a conflict of interest with this organisation, so you cannot decide"))
        problems = decision_readiness(locked)
        if problems:
            raise ValidationError(problems)
        choices = {c.category.slug: c for c in locked.category_choices.select_related("category")}
        allowed = qualifying_categories(locked)
        errors = {}
        for slug, choice in choices.items():
            outcome, reasons = decisions.get(slug, ("", ""))
            reasons = (reasons or "").strip()
            if outcome not in ApplicationCategory.Outcome.values:
                errors[f"outcome_{slug}"] = _("Select qualified or not qualified for %(category)s") % {
                    "category": choice.category.name
                }
            elif outcome == ApplicationCategory.Outcome.QUALIFIED and slug not in allowed:
                errors[f"outcome_{slug}"] = _(
                    "%(category)s cannot be qualified: a section it depends on did not pass"
                ) % {"category": choice.category.name}
            elif outcome == ApplicationCategory.Outcome.NOT_QUALIFIED and not reasons:
                errors[f"reasons_{slug}"] = _("Write the reasons for the applicant")
            elif count_words(reasons) > NOTE_WORD_LIMIT:
                errors[f"reasons_{slug}"] = _("This must be %(limit)s words or fewer") % {"limit": NOTE_WORD_LIMIT}
        unknown = set(decisions) - set(choices)
        if unknown:
            errors["__all__"] = _("The decision is for categories that were not applied for")
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        areas = list(locked.pcc_areas.all())
        for slug, choice in choices.items():
            outcome, reasons = decisions[slug]
            choice.outcome, choice.reasons = outcome, (reasons or "").strip()
            choice.decided_at, choice.decided_by = now, actor
            choice.save(update_fields=["outcome", "reasons", "decided_at", "decided_by"])
            if outcome == ApplicationCategory.Outcome.QUALIFIED:
                _qualify(actor=actor, application=locked, category=choice.category, areas=areas, now=now)
        locked.decided_at, locked.decided_by = now, actor
        _touch(locked, ["decided_at", "decided_by"])
        audit.record(
            actor=actor,
            action="qualification.application_decided",
            obj=locked,
            after={
                "reference": locked.reference,
                "decisions": {slug: {"outcome": decisions[slug][0], "reasons": decisions[slug][1]} for slug in choices},
            },
        )
        transaction.on_commit(lambda: tasks.send_decision_email.enqueue(application_id=locked.pk))
    return locked


def _qualify(*, actor, application: Application, category: ServiceCategory, areas: list, now) -> Qualification:
    qualification = (
        Qualification.objects.select_for_update()
        .filter(framework=application.framework, organisation=application.organisation, category=category)
        .current()
        .first()
    )
    created = qualification is None
    if created:
        qualification = Qualification.objects.create(
            framework=application.framework,
            organisation=application.organisation,
            category=category,
            application=application,
            qualified_at=now,
            qualified_by=actor,
        )
    have = set(qualification.areas.values_list("pcc_area_id", flat=True))
    new_areas = [area for area in areas if area.pk not in have]
    QualifiedArea.objects.bulk_create(
        [
            QualifiedArea(qualification=qualification, pcc_area=a, application=application, qualified_at=now)
            for a in new_areas
        ]
    )
    audit.record(
        actor=actor,
        action="qualification.qualified" if created else "qualification.areas_added",
        obj=qualification,
        after={
            "organisation": application.organisation.slug,
            "category": category.slug,
            "areas_added": sorted(a.slug for a in new_areas),
            "application": application.reference,
        },
    )
    return qualification


# The register ------------------------------------------------------------------------------------------------------


def _lock_current(qualification: Qualification) -> Qualification:
    locked = (
        Qualification.objects.select_for_update(of=("self",))
        .select_related("organisation", "category")
        .get(pk=qualification.pk)
    )
    if locked.ended_at:
        raise ValidationError(_("This qualification has ended"))
    return locked


def suspend_qualification(*, actor, qualification: Qualification, reason: str) -> Suspension:
    reason = _require_text(reason, "reason", _("Say why the qualification is suspended"), max_words=NOTE_WORD_LIMIT)
    with transaction.atomic():
        locked = _lock_current(qualification)
        if locked.suspensions.filter(lifted_at__isnull=True).exists():
            raise ValidationError(_("This qualification is already suspended"))
        suspension = Suspension.objects.create(qualification=locked, reason=reason, suspended_by=actor)
        audit.record(
            actor=actor,
            action="qualification.suspended",
            obj=locked,
            after={"organisation": locked.organisation.slug, "category": locked.category.slug, "reason": reason},
        )
        transaction.on_commit(
            lambda: tasks.send_register_change_email.enqueue(qualification_id=locked.pk, change="suspended")
        )
    return suspension


def reinstate_qualification(*, actor, qualification: Qualification, note: str = "") -> Suspension:
    note = _require_text(note, "note", _("Say why the qualification is reinstated"), max_words=NOTE_WORD_LIMIT)
    with transaction.atomic():
        locked = _lock_current(qualification)
        suspension = locked.suspensions.select_for_update().filter(lifted_at__isnull=True).first()
        if suspension is None:
            raise ValidationError(_("This qualification is not suspended"))
        suspension.lifted_at, suspension.lifted_by, suspension.lift_note = timezone.now(), actor, note
        suspension.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
        audit.record(
            actor=actor,
            action="qualification.reinstated",
            obj=locked,
            after={"organisation": locked.organisation.slug, "category": locked.category.slug, "note": note},
        )
        transaction.on_commit(
            lambda: tasks.send_register_change_email.enqueue(qualification_id=locked.pk, change="reinstated")
        )
    return suspension


def _end(*, actor, qualification: Qualification, ending: str, reason: str, action: str) -> Qualification:
    with transaction.atomic():
        locked = _lock_current(qualification)
        locked.ended_at, locked.ended_by, locked.ending, locked.ending_reason = timezone.now(), actor, ending, reason
        locked.save(update_fields=["ended_at", "ended_by", "ending", "ending_reason"])
        audit.record(
            actor=actor,
            action=action,
            obj=locked,
            after={"organisation": locked.organisation.slug, "category": locked.category.slug, "reason": reason},
        )
        transaction.on_commit(
            lambda: tasks.send_register_change_email.enqueue(qualification_id=locked.pk, change=ending)
        )
    return locked


def withdraw_qualification(*, actor, qualification: Qualification, reason: str) -> Qualification:
    """The provider leaves the framework for this category. It can apply again at any time."""
    reason = _require_text(reason, "reason", _("Tell us why you are withdrawing"), max_words=NOTE_WORD_LIMIT)
    return _end(
        actor=actor,
        qualification=qualification,
        ending=Qualification.Ending.WITHDRAWN,
        reason=reason,
        action="qualification.withdrawn",
    )


def remove_qualification(*, actor, qualification: Qualification, reason: str) -> Qualification:
    reason = _require_text(reason, "reason", _("Say why the qualification is removed"), max_words=NOTE_WORD_LIMIT)
    return _end(
        actor=actor,
        qualification=qualification,
        ending=Qualification.Ending.REMOVED,
        reason=reason,
        action="qualification.removed",
    )


def confirmation_due_on(*, framework: Framework, organisation: Organisation) -> date | None:
    """When the organisation must next confirm its details (None: nothing on the register to confirm)."""
    first = (
        Qualification.objects.current()
        .filter(framework=framework, organisation=organisation)
        .order_by("qualified_at")
        .values_list("qualified_at", flat=True)
        .first()
    )
    if first is None:
        return None
    last = (
        DetailsConfirmation.objects.filter(framework=framework, organisation=organisation)
        .order_by("-confirmed_at")
        .values_list("confirmed_at", flat=True)
        .first()
    )
    since = max(first, last) if last else first
    return add_months(timezone.localtime(since).date(), framework.confirmation_interval_months)


def confirm_details(*, actor, framework: Framework, organisation: Organisation, outcome: str) -> DetailsConfirmation:
    if outcome not in DetailsConfirmation.Outcome.values:
        raise ValidationError({"outcome": _("Select whether your details are still accurate")})
    if not Qualification.objects.current().filter(framework=framework, organisation=organisation).exists():
        raise ValidationError(_("Your organisation is not on the register, so there is nothing to confirm"))
    with transaction.atomic():
        confirmation = DetailsConfirmation.objects.create(
            framework=framework, organisation=organisation, outcome=outcome, confirmed_by=actor
        )
        audit.record(
            actor=actor,
            action="qualification.details_confirmed",
            obj=confirmation,
            after={"organisation": organisation.slug, "outcome": outcome},
        )
    return confirmation


REMINDER_DAYS_BEFORE = 30


def send_confirmation_reminders(*, actor="system", today: date | None = None) -> list[tuple[Organisation, date]]:
    """Remind each qualified provider whose yearly confirmation is due within 30 days (or overdue), once for each
    due date. Run daily (dynamic-framework send-confirmation-reminders)."""
    from .models import ConfirmationReminder

    today = today or timezone.localdate()
    sent = []
    for framework in Framework.objects.all():
        organisation_ids = (
            Qualification.objects.current()
            .filter(framework=framework)
            .values_list("organisation_id", flat=True)
            .distinct()
        )
        for organisation in Organisation.objects.filter(pk__in=organisation_ids):
            due_on = confirmation_due_on(framework=framework, organisation=organisation)
            if due_on is None or (due_on - today).days > REMINDER_DAYS_BEFORE:
                continue
            with transaction.atomic():
                _reminder, created = ConfirmationReminder.objects.get_or_create(
                    framework=framework, organisation=organisation, due_on=due_on
                )
                if not created:
                    continue
                audit.record(
                    actor=actor,
                    action="qualification.confirmation_reminder_sent",
                    obj=organisation,
                    after={"framework": framework.slug, "due_on": due_on},
                )
                transaction.on_commit(
                    lambda o=organisation, f=framework, d=due_on: tasks.send_confirmation_reminder_email.enqueue(
                        organisation_id=o.pk, framework_id=f.pk, due_on=d.isoformat()
                    )
                )
            sent.append((organisation, due_on))
    return sent
