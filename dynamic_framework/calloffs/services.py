"""Every write in call-offs: creating and publishing a competition, questions, sealed bids, evaluation and award.

Each function takes keyword arguments only, runs in one transaction, writes its audit event in that transaction
and raises ValidationError (field names matching the forms, or plain messages) writing nothing. Bid content never
goes into the audit log, and neither does a bidder's name before the deadline: events about bids name the bid by
number and the call-off by reference only.
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_framework.accounts.models import Role, RoleGrant
from dynamic_framework.accounts.rules import (
    commissioner_region_ids,
    has_role,
    member_organisation_ids,
)
from dynamic_framework.core import audit
from dynamic_framework.core.notifications import notify
from dynamic_framework.core.time import UK
from dynamic_framework.core.uploads import check_upload
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.qualification.content import count_words

from . import sealing
from .models import (
    MAX_SCORE,
    Amendment,
    Bid,
    BidSubmission,
    CallOff,
    CallOffDocument,
    ClarificationQuestion,
    ConflictDeclaration,
    ConsensusScore,
    FundingMechanism,
    Lot,
    LotYear,
    PanelMember,
    QualityQuestion,
    Score,
    ScoreSheet,
    Sex,
    SupplyChainInvitation,
)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_VALUE_PENCE = 10**13  # £100 billion: anything larger is a typing mistake
PAYMENT_TERMS = {
    "fixed_fee": _("A fixed fee"),
    "pass_through": _("A share of what the lead provider is paid (pass-through)"),
    "payment_by_results": _("Payment by results"),
}
SHARE_TYPES = {"percent": _("A percentage of the value"), "amount": _("An amount in pounds")}


def _code(prefix: str, exists) -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
        reference = f"{prefix}-{code[:4]}-{code[4:]}"
        if not exists(reference):
            return reference
    raise RuntimeError("could not find a free reference")


def _require_text(value, field, message, *, max_length=None, max_words=None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if max_length and len(text) > max_length:
        raise ValidationError({field: _("This must be %(limit)s characters or fewer") % {"limit": max_length}})
    if max_words and count_words(text) > max_words:
        raise ValidationError({field: _("This must be %(limit)s words or fewer") % {"limit": max_words}})
    return text


def is_commissioner_for(user, call_off_or_region) -> bool:
    region_id = getattr(call_off_or_region, "region_id", None) or getattr(call_off_or_region, "pk", None)
    return region_id in commissioner_region_ids(user)


def _require_commissioner(actor, call_off) -> None:
    if not is_commissioner_for(actor, call_off):
        raise ValidationError(_("Only commissioners for %(region)s can do this") % {"region": call_off.region.name})


def _lock(call_off: CallOff) -> CallOff:
    return CallOff.objects.select_for_update(of=("self",)).select_related("region").get(pk=call_off.pk)


def public_snapshot(call_off: CallOff) -> dict:
    """What the audit log keeps of a call-off (everything here is published once the call-off is)."""
    return {
        "reference": call_off.reference,
        "title": call_off.title,
        "summary": call_off.summary,
        "region": call_off.region.code,
        "categories": sorted(call_off.categories.values_list("slug", flat=True)) if call_off.pk else [],
        "funding_mechanism": call_off.funding_mechanism,
        "funding_reason": call_off.funding_reason,
        "term_start": call_off.term_start,
        "term_months": call_off.term_months,
        "extension_months": call_off.extension_months,
        "cohort_sex": call_off.cohort_sex,
        "cohort_min_age": call_off.cohort_min_age,
        "cohort_max_age": call_off.cohort_max_age,
        "cohort_note": call_off.cohort_note,
        "price_weight": call_off.price_weight,
        "social_value_weight": call_off.social_value_weight,
        "social_value_question": call_off.social_value_question,
        "minimum_quality_percent": call_off.minimum_quality_percent,
        "questions_close_at": call_off.questions_close_at,
        "deadline_at": call_off.deadline_at,
        "expected_award_on": call_off.expected_award_on,
        "standstill_days": call_off.standstill_days,
    }


# Creating and changing a draft ------------------------------------------------------------------------------

EDITABLE_FIELDS = [
    "title",
    "summary",
    "funding_mechanism",
    "funding_reason",
    "term_start",
    "term_months",
    "extension_months",
    "cohort_sex",
    "cohort_min_age",
    "cohort_max_age",
    "cohort_note",
    "price_weight",
    "social_value_weight",
    "social_value_question",
    "social_value_word_limit",
    "minimum_quality_percent",
    "questions_close_at",
    "deadline_at",
    "expected_award_on",
    "standstill_days",
]


def _clean_fields(values: dict) -> dict:
    """Check the call-off's own fields (those given). Raises ValidationError naming each field."""
    errors = {}
    cleaned = dict(values)
    if "title" in values:
        cleaned["title"] = " ".join((values["title"] or "").split())
        if not cleaned["title"]:
            errors["title"] = _("Enter a title")
        elif len(cleaned["title"]) > 200:
            errors["title"] = _("The title must be 200 characters or fewer")
    for field, message in (
        ("summary", _("Say in plain English what you are buying and why")),
        ("funding_reason", _("Say why you chose a grant or a contract")),
    ):
        if field in values:
            cleaned[field] = (values[field] or "").strip()
            if not cleaned[field]:
                errors[field] = message
    if "funding_mechanism" in values and values["funding_mechanism"] not in FundingMechanism.values:
        errors["funding_mechanism"] = _("Select grant or contract")
    if "cohort_sex" in values and values["cohort_sex"] not in Sex.values:
        errors["cohort_sex"] = _("Select who the service is for")
    for field in ("cohort_min_age", "cohort_max_age"):
        if values.get(field) is not None and not (isinstance(values[field], int) and 18 <= values[field] <= 120):
            errors[field] = _("Enter an age from 18 to 120")
    low, high = values.get("cohort_min_age"), values.get("cohort_max_age")
    if isinstance(low, int) and isinstance(high, int) and high < low and "cohort_max_age" not in errors:
        errors["cohort_max_age"] = _("The highest age must be the same as or more than the lowest")
    if "term_months" in values and not (isinstance(values["term_months"], int) and 1 <= values["term_months"] <= 120):
        errors["term_months"] = _("Enter a length from 1 to 120 months")
    if "extension_months" in values:
        options = values["extension_months"] or []
        if not isinstance(options, list) or not all(isinstance(m, int) and 1 <= m <= 60 for m in options):
            errors["extension_months"] = _("Enter each extension as a number of months from 1 to 60")
        elif len(options) > 5:
            errors["extension_months"] = _("Give no more than 5 extension options")
        cleaned["extension_months"] = list(options) if isinstance(options, list) else []
    for field in ("price_weight", "social_value_weight", "minimum_quality_percent"):
        if field in values and not (isinstance(values[field], int) and 0 <= values[field] <= 100):
            errors[field] = _("Enter a number from 0 to 100")
    if "social_value_word_limit" in values and not (
        isinstance(values["social_value_word_limit"], int) and 1 <= values["social_value_word_limit"] <= 2000
    ):
        errors["social_value_word_limit"] = _("Enter a word limit from 1 to 2,000")
    if "standstill_days" in values and not (
        isinstance(values["standstill_days"], int) and 0 <= values["standstill_days"] <= 60
    ):
        errors["standstill_days"] = _("Enter a number of calendar days from 0 to 60")
    for field in ("questions_close_at", "deadline_at"):
        if field in values and (not isinstance(values[field], datetime) or timezone.is_naive(values[field])):
            errors[field] = _("Enter a date and time")
    for field in ("term_start", "expected_award_on"):
        if field in values and not isinstance(values[field], date):
            errors[field] = _("Enter a date")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _timetable_errors(call_off: CallOff, now) -> dict:
    errors = {}
    if call_off.questions_close_at > call_off.deadline_at:
        errors["questions_close_at"] = _("Questions must close on or before the deadline for bids")
    if call_off.deadline_at <= now:
        errors["deadline_at"] = _("The deadline for bids must be in the future")
    elif call_off.deadline_at - now < timedelta(days=settings.CALLOFF_MINIMUM_BIDDING_DAYS):
        errors["deadline_at"] = _("Give providers at least %(days)s days from publication to bid") % {
            "days": settings.CALLOFF_MINIMUM_BIDDING_DAYS
        }
    deadline_day = timezone.localtime(call_off.deadline_at, UK).date()
    if call_off.expected_award_on < deadline_day:
        errors["expected_award_on"] = _("The award is expected after the deadline for bids")
    elif call_off.term_start < call_off.expected_award_on + timedelta(days=call_off.standstill_days):
        errors["term_start"] = _("The service must start after the award and its standstill period")
    return errors


def create_call_off(*, actor, region, title, summary, categories, funding_mechanism, funding_reason, **fields):
    """A new draft call-off for one region (the commissioner must be a commissioner for it)."""
    if region is None or not is_commissioner_for(actor, region):
        raise ValidationError({"region": _("You can only create call-offs for the regions you commission for")})
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"co_commissioner"}
    if unknown:
        raise TypeError(f"create_call_off() got unknown fields {', '.join(sorted(unknown))}")
    co_commissioner = fields.pop("co_commissioner", None)
    categories = list(categories or [])
    values = _clean_fields(
        {
            "title": title,
            "summary": summary,
            "funding_mechanism": funding_mechanism,
            "funding_reason": funding_reason,
            **fields,
        }
    )
    if not categories:
        raise ValidationError({"categories": _("Select at least one service category")})
    if co_commissioner is not None and co_commissioner.kind != Organisation.Kind.COMMISSIONING_BODY:
        raise ValidationError({"co_commissioner": _("A co-commissioner is a commissioning body")})
    missing = [
        f
        for f in ("term_start", "term_months", "questions_close_at", "deadline_at", "expected_award_on")
        if f not in values
    ]
    if missing:
        raise ValidationError({f: _("Enter this") for f in missing})
    if values["questions_close_at"] > values["deadline_at"]:
        raise ValidationError({"questions_close_at": _("Questions must close on or before the deadline for bids")})
    with transaction.atomic():
        call_off = CallOff(
            reference=_code("DFC", lambda r: CallOff.objects.filter(reference=r).exists()),
            region=region,
            co_commissioner=co_commissioner,
            sealing_key=sealing.new_sealing_key(),
            created_by=actor,
            **values,
        )
        call_off.save()
        call_off.categories.set(categories)
        audit.record(actor=actor, action="calloffs.call_off_created", obj=call_off, after=public_snapshot(call_off))
    return call_off


def _draft(call_off: CallOff) -> CallOff:
    locked = _lock(call_off)
    if locked.published_at or locked.cancelled_at:
        raise ValidationError(_("This call-off is published: change it with an amendment"))
    if locked.submitted_for_approval_at:
        raise ValidationError(_("This call-off is waiting for approval: ask the approver to send it back first"))
    return locked


def update_call_off(*, actor, call_off: CallOff, categories=None, co_commissioner="unchanged", **fields) -> CallOff:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_call_off() got unknown fields {', '.join(sorted(unknown))}")
    values = _clean_fields(fields)
    with transaction.atomic():
        locked = _draft(call_off)
        _require_commissioner(actor, locked)
        before = public_snapshot(locked)
        for field, value in values.items():
            setattr(locked, field, value)
        if co_commissioner != "unchanged":
            if co_commissioner is not None and co_commissioner.kind != Organisation.Kind.COMMISSIONING_BODY:
                raise ValidationError({"co_commissioner": _("A co-commissioner is a commissioning body")})
            locked.co_commissioner = co_commissioner
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("These dates or numbers do not fit together: check the timetable and ages")
            ) from exc
        if categories is not None:
            if not categories:
                raise ValidationError({"categories": _("Select at least one service category")})
            locked.categories.set(categories)
        after = public_snapshot(locked)
        changed = [k for k in after if audit._normalise(after[k]) != audit._normalise(before[k])]
        if changed:
            audit.record(
                actor=actor,
                action="calloffs.call_off_updated",
                obj=locked,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return locked


def _lot_name(kind: str, region, areas: list) -> str:
    if kind == Lot.Kind.REGION:
        return region.name
    return (
        " and ".join(a.name for a in sorted(areas, key=lambda a: a.name))
        if len(areas) <= 3
        else (f"{len(areas)} areas in {region.name}")
    )


def _clean_years(years) -> list[dict]:
    errors = []
    cleaned, seen = [], set()
    for item in years or []:
        year, value, people = item.get("financial_year"), item.get("max_value_pence"), item.get("expected_people")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            errors.append(_("Enter each financial year as the year it starts, like 2026"))
            continue
        if year in seen:
            errors.append(_("Each financial year can be given once"))
            continue
        seen.add(year)
        if not isinstance(value, int) or value <= 0 or value >= MAX_VALUE_PENCE:
            errors.append(
                _("Enter the most the lot can cost in %(year)s-%(next)02d, in pounds")
                % {"year": year, "next": (year + 1) % 100}
            )
            continue
        if people is not None and (not isinstance(people, int) or people < 0):
            errors.append(_("Enter the number of people as a whole number"))
            continue
        cleaned.append({"financial_year": year, "max_value_pence": value, "expected_people": people})
    if not cleaned and not errors:
        errors.append(_("Give the value for at least one financial year"))
    years_given = sorted(y["financial_year"] for y in cleaned)
    if years_given and years_given != list(range(years_given[0], years_given[-1] + 1)):
        errors.append(_("Give the financial years one after another, with none missing"))
    if errors:
        raise ValidationError({"years": errors})
    return sorted(cleaned, key=lambda y: y["financial_year"])


def _lot_areas(call_off: CallOff, kind: str, pcc_areas) -> list:
    if kind not in Lot.Kind.values:
        raise ValidationError({"kind": _("Select what the lot covers")})
    if kind == Lot.Kind.REGION:
        return list(call_off.region.pcc_areas.all())
    areas = list(PccArea.objects.filter(slug__in=[getattr(a, "slug", a) for a in pcc_areas or []]))
    if not areas:
        raise ValidationError({"pcc_areas": _("Select the area or areas the lot covers")})
    if kind == Lot.Kind.PCC_AREA and len(areas) != 1:
        raise ValidationError({"pcc_areas": _("A lot for one PCC area covers exactly one area")})
    outside = [a.name for a in areas if a.region_id != call_off.region_id]
    if outside:
        raise ValidationError(
            {
                "pcc_areas": _("%(areas)s are not in %(region)s")
                % {"areas": ", ".join(outside), "region": call_off.region.name}
            }
        )
    return areas


def add_lot(*, actor, call_off: CallOff, kind: str, pcc_areas=(), years=()) -> Lot:
    """A lot: one PCC area, a group of PCC areas, or the whole region, with its value for each financial year."""
    with transaction.atomic():
        locked = _draft(call_off)
        _require_commissioner(actor, locked)
        areas = _lot_areas(locked, kind, pcc_areas)
        cleaned = _clean_years(years)
        name = _lot_name(kind, locked.region, areas)
        taken = {a for lot in locked.lots.prefetch_related("pcc_areas") for a in lot.pcc_areas.all()}
        overlap = sorted(a.name for a in areas if a in taken)
        if overlap:
            raise ValidationError(
                {"pcc_areas": _("%(areas)s are already in another lot") % {"areas": ", ".join(overlap)}}
            )
        position = (locked.lots.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        lot = Lot.objects.create(call_off=locked, position=position, name=name, kind=kind, region=locked.region)
        lot.pcc_areas.set(areas)
        LotYear.objects.bulk_create([LotYear(lot=lot, **year) for year in cleaned])
        audit.record(
            actor=actor,
            action="calloffs.lot_added",
            obj=locked,
            after={"lot": position, "name": name, "areas": sorted(a.slug for a in areas), "years": cleaned},
        )
    return lot


def update_lot_years(*, actor, lot: Lot, years) -> Lot:
    with transaction.atomic():
        locked = _draft(lot.call_off)
        _require_commissioner(actor, locked)
        cleaned = _clean_years(years)
        before = list(lot.years.values("financial_year", "max_value_pence", "expected_people"))
        lot.years.all().delete()
        LotYear.objects.bulk_create([LotYear(lot=lot, **year) for year in cleaned])
        audit.record(
            actor=actor,
            action="calloffs.lot_changed",
            obj=locked,
            before={"lot": lot.position, "years": before},
            after={"lot": lot.position, "years": cleaned},
        )
    return lot


def remove_lot(*, actor, lot: Lot) -> None:
    with transaction.atomic():
        locked = _draft(lot.call_off)
        _require_commissioner(actor, locked)
        audit.record(
            actor=actor, action="calloffs.lot_removed", obj=locked, after={"lot": lot.position, "name": lot.name}
        )
        lot.delete()


def _clean_question(question, guidance, word_limit, weight) -> dict:
    errors = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = _("Enter the question")
    if not isinstance(word_limit, int) or not 1 <= word_limit <= 2000:
        errors["word_limit"] = _("Enter a word limit from 1 to 2,000")
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        errors["weight"] = _("Enter a weight from 1 to 100")
    if errors:
        raise ValidationError(errors)
    return {"question": question, "guidance": (guidance or "").strip(), "word_limit": word_limit, "weight": weight}


def add_quality_question(
    *, actor, call_off: CallOff, question, guidance="", word_limit=500, weight=10
) -> QualityQuestion:
    values = _clean_question(question, guidance, word_limit, weight)
    with transaction.atomic():
        locked = _draft(call_off)
        _require_commissioner(actor, locked)
        position = (locked.quality_questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        created = QualityQuestion.objects.create(call_off=locked, position=position, **values)
        audit.record(
            actor=actor, action="calloffs.quality_question_added", obj=locked, after={"position": position, **values}
        )
    return created


def update_quality_question(
    *, actor, question: QualityQuestion, text, guidance="", word_limit, weight
) -> QualityQuestion:
    values = _clean_question(text, guidance, word_limit, weight)
    with transaction.atomic():
        locked = _draft(question.call_off)
        _require_commissioner(actor, locked)
        before = {f: getattr(question, f) for f in values}
        for field, value in values.items():
            setattr(question, field, value)
        question.save()
        audit.record(
            actor=actor,
            action="calloffs.quality_question_changed",
            obj=locked,
            before={"position": question.position, **before},
            after={"position": question.position, **values},
        )
    return question


def remove_quality_question(*, actor, question: QualityQuestion) -> None:
    with transaction.atomic():
        locked = _draft(question.call_off)
        _require_commissioner(actor, locked)
        audit.record(
            actor=actor, action="calloffs.quality_question_removed", obj=locked, after={"position": question.position}
        )
        question.delete()


def add_document(*, actor, call_off: CallOff, title: str, uploaded) -> CallOffDocument:
    title = _require_text(title, "title", _("Enter the document's title"), max_length=200)
    checked = check_upload(uploaded, field="file")
    document = None
    try:
        with transaction.atomic():
            locked = _lock(call_off)
            _require_commissioner(actor, locked)
            if locked.cancelled_at or locked.deadline_passed():
                raise ValidationError(_("Documents can only be added before the deadline"))
            document = CallOffDocument(
                call_off=locked,
                title=title,
                original_name=checked.name,
                content_type=checked.content_type,
                size_bytes=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            document.file.save(checked.name, uploaded, save=False)
            document.save()
            audit.record(
                actor=actor,
                action="calloffs.document_added",
                obj=locked,
                after={"title": title, "name": checked.name, "sha256": checked.sha256},
            )
            if locked.published_at:
                _publish_amendment(
                    actor=actor,
                    call_off=locked,
                    summary=_("Document added: %(title)s") % {"title": title},
                    changes={"documents": {"before": None, "after": title}},
                )
    except Exception:
        if document is not None and document.file:
            document.file.delete(save=False)
        raise
    return document


# Approval and publication ----------------------------------------------------------------------------------


def readiness(call_off: CallOff, now=None) -> dict:
    """What must be put right before the call-off can be published: {field or topic: message}."""
    now = now or timezone.now()
    problems = dict(_timetable_errors(call_off, now))
    questions = list(call_off.quality_questions.all())
    quality = sum(q.weight for q in questions)
    total = quality + call_off.price_weight + call_off.social_value_weight
    if total != 100:
        problems["weights"] = _(
            "The weights must add up to 100: quality questions %(quality)s, price %(price)s and social value "
            "%(social)s make %(total)s"
        ) % {"quality": quality, "price": call_off.price_weight, "social": call_off.social_value_weight, "total": total}
    if not questions:
        problems["quality_questions"] = _("Add at least one quality question")
    if call_off.social_value_weight and not call_off.social_value_question.strip():
        problems["social_value_question"] = _("Write the social value question, or give social value no weight")
    lots = list(call_off.lots.prefetch_related("years"))
    if not lots:
        problems["lots"] = _("Add at least one lot")
    for lot in lots:
        if not lot.years.all():
            problems[f"lot_{lot.position}"] = _("%(lot)s has no value for any year") % {"lot": lot.name}
    if not call_off.categories.exists():
        problems["categories"] = _("Select at least one service category")
    return problems


def submit_for_approval(*, actor, call_off: CallOff) -> CallOff:
    with transaction.atomic():
        locked = _draft(call_off)
        _require_commissioner(actor, locked)
        problems = readiness(locked)
        if problems:
            raise ValidationError(problems)
        locked.submitted_for_approval_at, locked.submitted_for_approval_by = timezone.now(), actor
        locked.save(update_fields=["submitted_for_approval_at", "submitted_for_approval_by"])
        audit.record(
            actor=actor, action="calloffs.submitted_for_approval", obj=locked, after={"reference": locked.reference}
        )
        approvers = _commissioners_for(locked.region_id, exclude=actor)
        notify(
            users=approvers,
            title=_("A call-off is waiting for your approval: %(title)s") % {"title": locked.title},
            link=f"/call-offs/{locked.reference}/",
        )
    return locked


def return_to_draft(*, actor, call_off: CallOff, reason: str) -> CallOff:
    reason = _require_text(reason, "reason", _("Say what needs to change"))
    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if not locked.submitted_for_approval_at or locked.published_at:
            raise ValidationError(_("Only a call-off waiting for approval can be sent back"))
        submitter = locked.submitted_for_approval_by
        locked.submitted_for_approval_at = locked.submitted_for_approval_by = None
        locked.save(update_fields=["submitted_for_approval_at", "submitted_for_approval_by"])
        audit.record(actor=actor, action="calloffs.returned_to_draft", obj=locked, after={"reason": reason})
        notify(
            users=[submitter],
            title=_("Your call-off needs changes: %(title)s") % {"title": locked.title},
            body=reason,
            link=f"/call-offs/{locked.reference}/",
        )
    return locked


def _commissioners_for(region_id, exclude=None):
    from dynamic_framework.accounts.models import User

    ids = RoleGrant.objects.active().filter(role=Role.COMMISSIONER, regions__pk=region_id).values("user_id")
    users = User.objects.filter(pk__in=ids, is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def qualified_members(call_off: CallOff):
    """Members of every organisation qualified (and not suspended) in one of the call-off's categories in one of
    its lots' areas: who is told about it."""
    from dynamic_framework.accounts.models import User
    from dynamic_framework.qualification.models import Qualification

    area_ids = PccArea.objects.filter(call_off_lots__call_off=call_off).values("pk")
    organisation_ids = (
        Qualification.objects.active()
        .filter(category__in=call_off.categories.all(), areas__pcc_area__in=area_ids)
        .values("organisation_id")
    )
    grants = RoleGrant.objects.active().filter(
        organisation_id__in=organisation_ids, role__in=[Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
    )
    return list(User.objects.filter(pk__in=grants.values("user_id"), is_active=True))


def approve_and_publish(*, actor, call_off: CallOff) -> CallOff:
    """A second commissioner for the region approves: the call-off is published, qualified providers are told
    in the service and by email, and alert subscribers are emailed."""
    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if locked.published_at:
            raise ValidationError(_("This call-off is already published"))
        if not locked.submitted_for_approval_at:
            raise ValidationError(_("This call-off has not been sent for approval"))
        if locked.submitted_for_approval_by_id == actor.pk:
            raise ValidationError(_("A second commissioner must approve the call-off: you sent it for approval"))
        problems = readiness(locked)
        if problems:
            raise ValidationError(problems)
        locked.published_at, locked.published_by = timezone.now(), actor
        locked.save(update_fields=["published_at", "published_by"])
        audit.record(actor=actor, action="calloffs.published", obj=locked, after=public_snapshot(locked))
        link = f"/opportunities/{locked.reference}/"
        notify(
            users=qualified_members(locked),
            title=_("New opportunity: %(title)s") % {"title": locked.title},
            body=_("A %(mechanism)s in %(region)s that matches what you are qualified for. Bids by %(deadline)s.")
            % {
                "mechanism": locked.get_funding_mechanism_display().lower(),
                "region": locked.region.name,
                "deadline": _uk(locked.deadline_at),
            },
            link=link,
        )
        from .tasks import send_opportunity_alerts

        transaction.on_commit(lambda: send_opportunity_alerts.enqueue(call_off_id=locked.pk))
    return locked


def _uk(moment) -> str:
    from dynamic_framework.core.time import format_uk_datetime

    return format_uk_datetime(moment)


AMENDABLE_FIELDS = [
    "title",
    "summary",
    "questions_close_at",
    "deadline_at",
    "expected_award_on",
    "term_start",
    "cohort_note",
]


def _publish_amendment(*, actor, call_off: CallOff, summary: str, changes: dict) -> Amendment:
    number = (call_off.amendments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    amendment = Amendment.objects.create(
        call_off=call_off, number=number, summary=summary, changes=audit._normalise(changes), published_by=actor
    )
    audit.record(
        actor=actor,
        action="calloffs.amended",
        obj=call_off,
        after={"number": number, "summary": summary, "changes": changes},
    )
    bidders = Bid.objects.filter(call_off=call_off).values("organisation_id")
    grants = RoleGrant.objects.active().filter(
        organisation_id__in=bidders, role__in=[Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
    )
    from dynamic_framework.accounts.models import User

    notify(
        users=User.objects.filter(pk__in=grants.values("user_id")),
        title=_("The call-off %(title)s has changed") % {"title": call_off.title},
        body=summary + "\n\n" + _("If you have submitted a bid, check it and submit it again to confirm it."),
        link=f"/opportunities/{call_off.reference}/",
    )
    return amendment


def amend_call_off(
    *, actor, call_off: CallOff, summary: str, lot_years: dict | None = None, call_off_summary=None, **fields
) -> Amendment:
    """Change a published call-off before its deadline. The change is published with what changed, bidders are
    told, and bids submitted before it need to be submitted again to count. `summary` says what changed; the
    call-off's own summary is changed with `call_off_summary`."""
    if call_off_summary is not None:
        fields["summary"] = call_off_summary
    unknown = set(fields) - set(AMENDABLE_FIELDS)
    if unknown:
        raise TypeError(f"amend_call_off() cannot change {', '.join(sorted(unknown))}")
    summary = _require_text(summary, "summary", _("Say what has changed, in plain English"))
    values = _clean_fields(fields)
    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if not locked.open_for_bids():
            raise ValidationError(_("A call-off can only be amended while it is open for bids"))
        changes = {}
        for field, value in values.items():
            before = getattr(locked, field)
            if audit._normalise(before) != audit._normalise(value):
                changes[field] = {"before": before, "after": value}
                setattr(locked, field, value)
        for lot_id, years in (lot_years or {}).items():
            lot = locked.lots.get(pk=lot_id)
            cleaned = _clean_years(years)
            before = list(lot.years.values("financial_year", "max_value_pence", "expected_people"))
            if before != cleaned:
                lot.years.all().delete()
                LotYear.objects.bulk_create([LotYear(lot=lot, **y) for y in cleaned])
                changes[f"lot {lot.position} values"] = {"before": before, "after": cleaned}
        if not changes:
            raise ValidationError(_("Nothing has changed"))
        now = timezone.now()
        if locked.deadline_at <= now:
            raise ValidationError({"deadline_at": _("The new deadline must be in the future")})
        if locked.questions_close_at > locked.deadline_at:
            raise ValidationError({"questions_close_at": _("Questions must close on or before the deadline for bids")})
        locked.save()
        return _publish_amendment(actor=actor, call_off=locked, summary=summary, changes=changes)


def cancel_call_off(*, actor, call_off: CallOff, reason: str) -> CallOff:
    reason = _require_text(reason, "reason", _("Say why the call-off is cancelled: this is published"))
    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if locked.cancelled_at or locked.no_award_at or locked.awarded_at:
            raise ValidationError(_("This call-off has already ended"))
        if locked.award_approved_at:
            raise ValidationError(_("The award has been approved: the call-off can no longer be cancelled here"))
        locked.cancelled_at, locked.cancelled_by, locked.cancelled_reason = timezone.now(), actor, reason
        locked.save(update_fields=["cancelled_at", "cancelled_by", "cancelled_reason"])
        audit.record(actor=actor, action="calloffs.cancelled", obj=locked, after={"reason": reason})
        if locked.published_at:
            _notify_bidders(locked, _("The call-off %(title)s is cancelled") % {"title": locked.title}, reason)
    return locked


def close_with_no_award(*, actor, call_off: CallOff, reason: str) -> CallOff:
    reason = _require_text(reason, "reason", _("Say why there is no award: this is published"))
    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if not locked.published_at or not locked.deadline_passed():
            raise ValidationError(_("A call-off can be closed with no award only after its deadline"))
        if locked.cancelled_at or locked.no_award_at or locked.award_approved_at:
            raise ValidationError(_("This call-off has already ended"))
        locked.no_award_at, locked.no_award_by, locked.no_award_reason = timezone.now(), actor, reason
        locked.save(update_fields=["no_award_at", "no_award_by", "no_award_reason"])
        audit.record(actor=actor, action="calloffs.closed_with_no_award", obj=locked, after={"reason": reason})
        _notify_bidders(locked, _("No award for %(title)s") % {"title": locked.title}, reason)
    return locked


def _notify_bidders(call_off: CallOff, title: str, body: str) -> None:
    from dynamic_framework.accounts.models import User

    bidders = Bid.objects.filter(call_off=call_off).values("organisation_id")
    grants = RoleGrant.objects.active().filter(
        organisation_id__in=bidders, role__in=[Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
    )
    notify(
        users=User.objects.filter(pk__in=grants.values("user_id")),
        title=title,
        body=body,
        link=f"/opportunities/{call_off.reference}/",
    )


def copy_call_off(*, actor, call_off: CallOff) -> CallOff:
    """A new draft with the same content (lots, values, questions), to run again. The timetable must be set anew."""
    with transaction.atomic():
        source = CallOff.objects.select_related("region").get(pk=call_off.pk)
        if not is_commissioner_for(actor, source):
            raise ValidationError(_("Only commissioners for %(region)s can do this") % {"region": source.region.name})
        copy = CallOff(
            reference=_code("DFC", lambda r: CallOff.objects.filter(reference=r).exists()),
            region=source.region,
            co_commissioner=source.co_commissioner,
            sealing_key=sealing.new_sealing_key(),
            created_by=actor,
            copied_from=source,
            **{field: getattr(source, field) for field in EDITABLE_FIELDS},
        )
        copy.title = (_("%(title)s (run again)") % {"title": source.title})[:200]
        copy.save()
        copy.categories.set(source.categories.all())
        for lot in source.lots.prefetch_related("pcc_areas", "years"):
            new_lot = Lot.objects.create(
                call_off=copy, position=lot.position, name=lot.name, kind=lot.kind, region=lot.region
            )
            new_lot.pcc_areas.set(lot.pcc_areas.all())
            LotYear.objects.bulk_create(
                [
                    LotYear(
                        lot=new_lot,
                        financial_year=y.financial_year,
                        max_value_pence=y.max_value_pence,
                        expected_people=y.expected_people,
                    )
                    for y in lot.years.all()
                ]
            )
        for question in source.quality_questions.all():
            QualityQuestion.objects.create(
                call_off=copy,
                position=question.position,
                question=question.question,
                guidance=question.guidance,
                word_limit=question.word_limit,
                weight=question.weight,
            )
        audit.record(
            actor=actor, action="calloffs.copied", obj=copy, after={"from": source.reference, **public_snapshot(copy)}
        )
    return copy


# Questions from providers ----------------------------------------------------------------------------------------


def ask_question(*, actor, call_off: CallOff, organisation: Organisation, question: str) -> ClarificationQuestion:
    question = _require_text(question, "question", _("Enter your question"), max_words=300)
    if organisation.pk not in member_organisation_ids(actor):
        raise ValidationError(_("You can only ask questions for your own organisation"))
    with transaction.atomic():
        locked = _lock(call_off)
        if not locked.open_for_bids():
            raise ValidationError(_("This call-off is not open"))
        if timezone.now() >= locked.questions_close_at:
            raise ValidationError(_("Questions closed at %(when)s") % {"when": _uk(locked.questions_close_at)})
        asked = ClarificationQuestion.objects.create(
            call_off=locked, organisation=organisation, asked_by=actor, question=question
        )
        audit.record(actor=actor, action="calloffs.question_asked", obj=asked, after={"call_off": locked.reference})
        notify(
            users=_commissioners_for(locked.region_id),
            title=_("A provider has asked a question about %(title)s") % {"title": locked.title},
            link=f"/call-offs/{locked.reference}/questions/",
        )
    return asked


def answer_question(*, actor, question: ClarificationQuestion, published_question: str, answer: str):
    """Publish the answer to everyone, with the question as the commissioner words it (never who asked)."""
    published_question = _require_text(
        published_question, "published_question", _("Enter the question as it will be published")
    )
    answer = _require_text(answer, "answer", _("Enter the answer"))
    with transaction.atomic():
        locked = (
            ClarificationQuestion.objects.select_for_update(of=("self",))
            .select_related("call_off__region")
            .get(pk=question.pk)
        )
        _require_commissioner(actor, locked.call_off)
        if locked.answered_at:
            raise ValidationError(_("This question has already been answered"))
        if locked.call_off.cancelled_at or locked.call_off.deadline_passed():
            raise ValidationError(_("Answers can only be published before the deadline"))
        locked.published_question, locked.answer = published_question, answer
        locked.answered_at, locked.answered_by = timezone.now(), actor
        locked.save(update_fields=["published_question", "answer", "answered_at", "answered_by"])
        audit.record(
            actor=actor,
            action="calloffs.question_answered",
            obj=locked,
            after={"call_off": locked.call_off.reference, "question": published_question, "answer": answer},
        )
        _notify_bidders(
            locked.call_off,
            _("A question about %(title)s has been answered") % {"title": locked.call_off.title},
            published_question,
        )
    return locked


# Bidding ----------------------------------------------------------------------------------------------------------


def eligible_lot_ids(call_off: CallOff, organisation: Organisation) -> set[int]:
    """Lots this organisation may bid for as lead provider: it is qualified (and not suspended) in one of the
    call-off's categories in every PCC area of the lot."""
    from dynamic_framework.qualification.models import QualifiedArea

    qualified_areas = set(
        QualifiedArea.objects.filter(qualification__in=_active_qualifications(organisation, call_off)).values_list(
            "pcc_area_id", flat=True
        )
    )
    out = set()
    for lot in call_off.lots.prefetch_related("pcc_areas"):
        areas = {a.pk for a in lot.pcc_areas.all()}
        if areas and areas <= qualified_areas:
            out.add(lot.pk)
    return out


def _active_qualifications(organisation, call_off):
    from dynamic_framework.qualification.models import Qualification

    return Qualification.objects.active().filter(organisation=organisation, category__in=call_off.categories.all())


def _can_bid(actor, organisation) -> None:
    if organisation.pk not in member_organisation_ids(actor):
        raise ValidationError(_("You can only bid for your own organisation"))


def start_bid(*, actor, call_off: CallOff, organisation: Organisation) -> Bid:
    _can_bid(actor, organisation)
    with transaction.atomic():
        locked = _lock(call_off)
        if not locked.open_for_bids():
            raise ValidationError(_("This call-off is not open for bids"))
        if not eligible_lot_ids(locked, organisation):
            raise ValidationError(
                _(
                    "Your organisation is not qualified on the Dynamic Framework for this type of service in any of "
                    "these areas, so it cannot bid as lead provider. It can still be named in another bid's supply "
                    "chain."
                )
            )
        existing = Bid.objects.filter(call_off=locked, organisation=organisation).first()
        if existing:
            return existing
        bid = Bid(call_off=locked, organisation=organisation, created_by=actor, draft=sealing.seal(locked, {}))
        try:
            with transaction.atomic():
                bid.save()
        except IntegrityError:
            return Bid.objects.get(call_off=locked, organisation=organisation)
        audit.record(actor=actor, action="calloffs.bid_started", obj=bid, after={"call_off": locked.reference})
    return bid


def bid_content(bid: Bid, *, actor) -> dict:
    """The bidder's own draft (members of the bidding organisation only)."""
    return sealing.open_for_bidder(bid.call_off, bid.draft, bid=bid, organisation_ids=member_organisation_ids(actor))


def _resolve_member(entry: dict, lead: Organisation, *, create: bool, actor):
    from dynamic_framework.organisations import services as organisation_services
    from dynamic_framework.organisations.matching import name_key, normalise_name

    organisation_id = entry.get("organisation")
    if organisation_id:
        org = Organisation.objects.filter(pk=organisation_id, kind=Organisation.Kind.PROVIDER).first()
        if org is None:
            raise ValidationError(_("Choose the subcontractor from the list, or give its name"))
        return org
    name = normalise_name(entry.get("name") or "")
    if not name:
        raise ValidationError(_("Give each subcontractor's name"))
    if len(name) > 200:
        raise ValidationError(_("A subcontractor's name must be 200 characters or fewer"))
    key = name_key(name)
    for org in Organisation.objects.filter(name__iexact=name):
        return org
    from dynamic_framework.organisations.models import OrganisationAlias

    alias = OrganisationAlias.objects.select_related("organisation").filter(name__iexact=name).first()
    if alias is not None and name_key(alias.name) == key:
        return alias.organisation
    if not create:
        return None
    return organisation_services.create_organisation(
        actor=actor,
        name=name,
        classification_source="Named as a subcontractor in a bid; not checked yet.",
    )


def clean_bid_content(call_off: CallOff, organisation: Organisation, content: dict, *, complete: bool, actor=None):
    """Check a bid's content. Returns it tidied (lot and question ids as strings, money in pence, percentages in
    basis points). With `actor`, new subcontractors named only by name get an (unverified) organisation record."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    content = content or {}
    eligible = eligible_lot_ids(call_off, organisation)
    lots = {str(lot.pk): lot for lot in call_off.lots.prefetch_related("years")}
    cleaned_lots = {}
    for lot_id, lot_data in (content.get("lots") or {}).items():
        lot = lots.get(str(lot_id))
        if lot is None:
            add("lots", _("Choose lots from this call-off"))
            continue
        if lot.pk not in eligible:
            add(f"lot_{lot.pk}", _("Your organisation is not qualified to lead a bid for %(lot)s") % {"lot": lot.name})
            continue
        years = {str(y.financial_year): y for y in lot.years.all()}
        prices = {}
        for year, price in ((lot_data or {}).get("years") or {}).items():
            limit = years.get(str(year))
            field = f"price_{lot.pk}_{year}"
            if limit is None:
                add(field, _("%(lot)s has no budget for that year") % {"lot": lot.name})
            elif price in (None, ""):
                continue
            elif not isinstance(price, int) or isinstance(price, bool) or price <= 0:
                add(field, _("Enter a price in pounds for %(year)s") % {"year": limit.label})
            elif price > limit.max_value_pence:
                add(
                    field,
                    _("The price for %(year)s must be no more than the published value, %(max)s")
                    % {"year": limit.label, "max": _money(limit.max_value_pence)},
                )
            else:
                prices[str(year)] = price
        if complete:
            for year, limit in years.items():
                if year not in prices and f"price_{lot.pk}_{year}" not in errors:
                    add(f"price_{lot.pk}_{year}", _("Enter a price for %(year)s") % {"year": limit.label})
        cleaned_lots[str(lot.pk)] = {"years": prices}
    if complete and not cleaned_lots and "lots" not in errors:
        add("lots", _("Choose at least one lot to bid for"))
    answers = {}
    questions = {str(q.pk): q for q in call_off.quality_questions.all()}
    for question_id, text in (content.get("answers") or {}).items():
        question = questions.get(str(question_id))
        text = (text or "").strip()
        if question is None:
            add("answers", _("Answer the questions of this call-off"))
        elif text and count_words(text) > question.word_limit:
            add(
                f"answer_{question.pk}",
                _("Your answer must be %(limit)s words or fewer (it is %(words)s words)")
                % {"limit": question.word_limit, "words": count_words(text)},
            )
        elif text:
            answers[str(question.pk)] = text
    if complete:
        for question_id, question in questions.items():
            if question_id not in answers and f"answer_{question.pk}" not in errors:
                add(f"answer_{question.pk}", _("Answer question %(n)s") % {"n": question.position})
    social_value = (content.get("social_value") or "").strip()
    if social_value and count_words(social_value) > call_off.social_value_word_limit:
        add(
            "social_value",
            _("Your answer must be %(limit)s words or fewer") % {"limit": call_off.social_value_word_limit},
        )
    elif complete and call_off.social_value_weight and not social_value:
        add("social_value", _("Answer the social value question"))
    supply_chain, seen = [], set()
    total_percent = 0
    bid_total = sum(sum(lot["years"].values()) for lot in cleaned_lots.values())
    for index, entry in enumerate(content.get("supply_chain") or [], start=1):
        field = f"supply_chain_{index}"
        try:
            member = _resolve_member(entry, organisation, create=actor is not None, actor=actor)
        except ValidationError as exc:
            add(field, " ".join(exc.messages))
            continue
        role = (entry.get("role") or "").strip()
        share_type, share_value = entry.get("share_type"), entry.get("share_value")
        terms = entry.get("payment_terms")
        problems = []
        if member is not None and member.pk == organisation.pk:
            problems.append(_("The lead provider cannot be in its own supply chain"))
        key = member.pk if member is not None else (entry.get("name") or "").strip().casefold()
        if key in seen:
            problems.append(_("Each organisation can be in the supply chain once"))
        seen.add(key)
        if not role:
            problems.append(_("Say what the subcontractor will do"))
        elif len(role) > 300:
            problems.append(_("The role must be 300 characters or fewer"))
        if share_type not in SHARE_TYPES:
            problems.append(_("Say whether the subcontractor's share is a percentage or an amount"))
        elif not isinstance(share_value, int) or isinstance(share_value, bool) or share_value <= 0:
            problems.append(_("Enter the subcontractor's share"))
        elif share_type == "percent" and share_value > 10_000:
            problems.append(_("A share cannot be more than 100%"))
        elif share_type == "amount" and bid_total and share_value > bid_total:
            problems.append(_("A subcontractor's share cannot be more than the bid's total price"))
        if terms not in PAYMENT_TERMS:
            problems.append(_("Choose how the subcontractor will be paid"))
        if problems:
            for problem in problems:
                add(field, problem)
            continue
        if share_type == "percent":
            total_percent += share_value
        supply_chain.append(
            {
                "organisation": member.pk if member is not None else None,
                "name": member.name if member is not None else (entry.get("name") or "").strip(),
                "role": role,
                "share_type": share_type,
                "share_value": share_value,
                "payment_terms": terms,
                "material": bool(entry.get("material")),
            }
        )
    if total_percent > 10_000:
        add("supply_chain", _("The supply chain's shares add up to more than 100%"))
    if errors:
        raise ValidationError(errors)
    return {"lots": cleaned_lots, "answers": answers, "social_value": social_value, "supply_chain": supply_chain}


def _money(pence: int) -> str:
    from dynamic_framework.core.money import format_pence

    return format_pence(pence)


def _open_bid(bid: Bid) -> Bid:
    locked = (
        Bid.objects.select_for_update(of=("self",)).select_related("call_off__region", "organisation").get(pk=bid.pk)
    )
    if not locked.call_off.open_for_bids():
        if locked.call_off.published_at and locked.call_off.deadline_passed():
            raise ValidationError(
                _("The deadline for bids was %(when)s. Bids cannot be changed or submitted after it.")
                % {"when": _uk(locked.call_off.deadline_at)}
            )
        raise ValidationError(_("This call-off is not open for bids"))
    return locked


def save_bid(*, actor, bid: Bid, content: dict, complete: bool = False) -> Bid:
    """Save the draft (encrypted). Nothing is checked for completeness unless `complete`."""
    _can_bid(actor, bid.organisation)
    with transaction.atomic():
        locked = _open_bid(bid)
        cleaned = clean_bid_content(locked.call_off, locked.organisation, content, complete=complete, actor=actor)
        locked.draft = sealing.seal(locked.call_off, cleaned)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["draft", "updated_at"])
        audit.record(
            actor=actor, action="calloffs.bid_saved", obj=locked, after={"call_off": locked.call_off.reference}
        )
    return locked


def submit_bid(*, actor, bid: Bid, idempotency_key: str) -> BidSubmission:
    """Submit the saved draft. The deadline is the server's clock, to the second. The same idempotency key (a
    repeated click, a retried request) gives back the same submission."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError(_("The form has expired: go back to your bid and submit it again"))
    _can_bid(actor, bid.organisation)
    if not has_role(actor, Role.PROVIDER_ADMINISTRATOR) or bid.organisation_id not in {
        g.organisation_id for g in RoleGrant.objects.active().filter(user=actor, role=Role.PROVIDER_ADMINISTRATOR)
    }:
        raise ValidationError(_("Only your organisation's administrators can submit a bid"))
    with transaction.atomic():
        existing = BidSubmission.objects.filter(bid_id=bid.pk, idempotency_key=key).select_related("bid").first()
        if existing is not None:
            return existing
        locked = _open_bid(bid)
        # The same request twice at the same moment: the second waited for the first's lock, so look again.
        existing = BidSubmission.objects.filter(bid_id=bid.pk, idempotency_key=key).first()
        if existing is not None:
            return existing
        now = timezone.now()
        draft = sealing.open_for_bidder(
            locked.call_off, locked.draft, bid=locked, organisation_ids=member_organisation_ids(actor)
        )
        content = clean_bid_content(locked.call_off, locked.organisation, draft, complete=True, actor=actor)
        number = (locked.submissions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        submission = BidSubmission.objects.create(
            bid=locked,
            number=number,
            receipt=_code("BID", lambda r: BidSubmission.objects.filter(receipt=r).exists()),
            idempotency_key=key,
            content=sealing.seal(locked.call_off, content),
            digest=sealing.digest(content),
            submitted_at=now,
            submitted_by=actor,
        )
        locked.latest_submission = submission
        locked.save(update_fields=["latest_submission"])
        audit.record(
            actor=actor,
            action="calloffs.bid_submitted",
            obj=locked,
            after={"call_off": locked.call_off.reference, "receipt": submission.receipt, "digest": submission.digest},
        )
        _invite_supply_chain(locked, content)
        notify(
            users=[actor],
            title=_("Bid received: %(receipt)s") % {"receipt": submission.receipt},
            body=_("Your bid for %(title)s was received at %(when)s. Its SHA-256 digest is %(digest)s.")
            % {"title": locked.call_off.title, "when": _uk(now), "digest": submission.digest},
            link=f"/opportunities/{locked.call_off.reference}/bid/",
        )
    return submission


def _invite_supply_chain(bid: Bid, content: dict) -> None:
    from dynamic_framework.accounts.models import User

    named = {member["organisation"] for member in content["supply_chain"] if member.get("organisation")}
    current = {inv.organisation_id: inv for inv in bid.supply_chain_invitations.all()}
    for organisation_id, invitation in current.items():
        if organisation_id not in named and invitation.removed_at is None:
            invitation.removed_at = timezone.now()
            invitation.save(update_fields=["removed_at"])
    new = []
    for organisation_id in sorted(named):
        invitation = current.get(organisation_id)
        if invitation is None:
            new.append(SupplyChainInvitation.objects.create(bid=bid, organisation_id=organisation_id))
        elif invitation.removed_at is not None:
            invitation.removed_at = None
            invitation.save(update_fields=["removed_at"])
    for invitation in new:
        grants = RoleGrant.objects.active().filter(
            organisation_id=invitation.organisation_id, role__in=[Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
        )
        notify(
            users=User.objects.filter(pk__in=grants.values("user_id")),
            title=_("%(lead)s has named you in its bid for %(title)s")
            % {"lead": bid.organisation.name, "title": bid.call_off.title},
            body=_("Confirm whether you will take part in its supply chain."),
            link=f"/supply-chain-invitations/{invitation.pk}/",
        )


def withdraw_bid(*, actor, bid: Bid) -> Bid:
    _can_bid(actor, bid.organisation)
    with transaction.atomic():
        locked = _open_bid(bid)
        if not locked.is_live:
            raise ValidationError(_("This bid has not been submitted, so there is nothing to withdraw"))
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), actor
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(
            actor=actor, action="calloffs.bid_withdrawn", obj=locked, after={"call_off": locked.call_off.reference}
        )
    return locked


def respond_to_invitation(*, actor, invitation: SupplyChainInvitation, confirm: bool) -> SupplyChainInvitation:
    if invitation.organisation_id not in member_organisation_ids(actor):
        raise ValidationError(_("Only the named organisation can answer"))
    with transaction.atomic():
        locked = (
            SupplyChainInvitation.objects.select_for_update(of=("self",))
            .select_related("bid__call_off")
            .get(pk=invitation.pk)
        )
        if locked.removed_at:
            raise ValidationError(_("The lead provider has taken you out of this bid"))
        if locked.bid.call_off.deadline_passed():
            raise ValidationError(_("The deadline for this call-off has passed"))
        now = timezone.now()
        locked.confirmed_at, locked.declined_at = (now, None) if confirm else (None, now)
        locked.responded_by = actor
        locked.save(update_fields=["confirmed_at", "declined_at", "responded_by"])
        audit.record(
            actor=actor,
            action="calloffs.supply_chain_confirmed" if confirm else "calloffs.supply_chain_declined",
            obj=locked,
            after={"call_off": locked.bid.call_off.reference, "bid": locked.bid_id},
        )
    return locked


def invitation_terms(invitation: SupplyChainInvitation) -> dict | None:
    """The invited organisation's own entry (role, share, payment terms, material) in the latest submission of the
    bid that names it, and nothing else of that bid. None before anything naming it was submitted. Show it only to
    members of the invited organisation (rules: calloffs.respond_to_invitation)."""
    bid = invitation.bid
    submission = bid.latest_submission
    if submission is None:
        return None
    return sealing.open_member_entry(bid.call_off, submission.content, organisation_id=invitation.organisation_id)


def needs_reconfirmation(bid: Bid) -> bool:
    """Submitted before the latest amendment, and not submitted again since."""
    if not bid.is_live:
        return False
    latest = bid.call_off.amendments.order_by("-published_at").values_list("published_at", flat=True).first()
    return latest is not None and bid.latest_submission.submitted_at < latest


# Evaluation --------------------------------------------------------------------------------------------------------


def _after_deadline(call_off: CallOff) -> CallOff:
    locked = _lock(call_off)
    if not locked.published_at or not locked.deadline_passed():
        raise ValidationError(_("This can only be done after the deadline for bids"))
    if locked.cancelled_at or locked.no_award_at:
        raise ValidationError(_("This call-off has ended"))
    return locked


def counted_bids(call_off: CallOff):
    """Bids that were live at the deadline (whatever was submitted last before it counts)."""
    bids = Bid.objects.filter(call_off=call_off, latest_submission__isnull=False).select_related(
        "latest_submission", "organisation"
    )
    return [bid for bid in bids if bid.is_live and bid.latest_submission.submitted_at < call_off.deadline_at]


def form_panel(*, actor, call_off: CallOff, members) -> CallOff:
    members = list(members or [])
    if not members:
        raise ValidationError({"members": _("Choose at least one evaluator")})
    with transaction.atomic():
        locked = _after_deadline(call_off)
        _require_commissioner(actor, locked)
        if locked.award_recommended_at:
            raise ValidationError(_("The award has been recommended: the panel can no longer change"))
        for member in members:
            if not has_role(member, Role.EVALUATOR):
                raise ValidationError(
                    {"members": _("%(name)s is not an evaluator") % {"name": member.full_name or member.email}}
                )
        existing = {m.user_id: m for m in locked.panel.all()}
        for member in members:
            if member.pk not in existing:
                PanelMember.objects.create(call_off=locked, user=member, added_by=actor)
        if not locked.panel_formed_at:
            locked.panel_formed_at, locked.panel_formed_by = timezone.now(), actor
            locked.save(update_fields=["panel_formed_at", "panel_formed_by"])
        audit.record(
            actor=actor,
            action="calloffs.panel_formed",
            obj=locked,
            after={"members": sorted(m.email for m in members), "bids": len(counted_bids(locked))},
        )
        notify(
            users=[m for m in members if m.pk not in existing],
            title=_("You are on the evaluation panel for %(title)s") % {"title": locked.title},
            body=_("Declare any conflict of interest with each bidder before you read and score their bid."),
            link=f"/evaluation/{locked.reference}/",
        )
    return locked


def _panel_member(actor, call_off) -> PanelMember:
    member = PanelMember.objects.filter(call_off=call_off, user=actor).first()
    if member is None:
        raise ValidationError(_("You are not on this call-off's evaluation panel"))
    return member


def declare_bid_conflict(
    *, actor, call_off: CallOff, bid: Bid, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": _("Say what the conflict of interest is")})
    with transaction.atomic():
        locked = _after_deadline(call_off)
        member = _panel_member(actor, locked)
        if bid.call_off_id != locked.pk:
            raise ValidationError(_("This bid is not for this call-off"))
        if ConflictDeclaration.objects.filter(panel_member=member, bid=bid).exists():
            raise ValidationError(_("You have already made your declaration for this bid"))
        declaration = ConflictDeclaration.objects.create(
            panel_member=member, bid=bid, has_conflict=has_conflict, note=note
        )
        audit.record(
            actor=actor,
            action="calloffs.conflict_declared",
            obj=locked,
            after={"bid": bid.pk, "has_conflict": has_conflict, "note": note},
        )
    return declaration


def _may_score(member: PanelMember, bid: Bid) -> None:
    declaration = ConflictDeclaration.objects.filter(panel_member=member, bid=bid).first()
    if declaration is None:
        raise ValidationError(_("Declare whether you have a conflict of interest with this bidder first"))
    if declaration.has_conflict:
        raise ValidationError(_("You declared a conflict of interest with this bidder, so you cannot score its bid"))
    if ScoreSheet.objects.filter(panel_member=member, bid=bid).exists():
        raise ValidationError(_("You have submitted your scores for this bid: they cannot change"))


def score_answer(
    *, actor, call_off: CallOff, bid: Bid, question: QualityQuestion | None, score, justification
) -> Score:
    """An evaluator's own score for one answer (a quality question, or social value when `question` is None)."""
    justification = _require_text(justification, "justification", _("Write why you gave this score"), max_words=500)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= MAX_SCORE:
        raise ValidationError({"score": _("Choose a score from 0 to %(max)s") % {"max": MAX_SCORE}})
    with transaction.atomic():
        locked = _after_deadline(call_off)
        if locked.award_recommended_at:
            raise ValidationError(_("The award has been recommended: scores can no longer change"))
        member = _panel_member(actor, locked)
        if bid not in counted_bids(locked):
            raise ValidationError(_("This bid is not being evaluated"))
        if question is not None and question.call_off_id != locked.pk:
            raise ValidationError(_("This question is not part of this call-off"))
        if question is None and not locked.social_value_weight:
            raise ValidationError(_("Social value is not scored in this call-off"))
        _may_score(member, bid)
        existing = Score.objects.filter(panel_member=member, bid=bid, question=question).first()
        if existing:
            existing.score, existing.justification, existing.scored_at = score, justification, timezone.now()
            existing.save(update_fields=["score", "justification", "scored_at"])
            saved = existing
        else:
            saved = Score.objects.create(
                panel_member=member, bid=bid, question=question, score=score, justification=justification
            )
        audit.record(
            actor=actor,
            action="calloffs.answer_scored",
            obj=locked,
            after={"bid": bid.pk, "question": question.position if question else "social value", "score": score},
        )
    return saved


def criteria(call_off: CallOff) -> list:
    """What is scored for each bid: each quality question, then social value (None) if it has a weight."""
    items = list(call_off.quality_questions.all())
    if call_off.social_value_weight:
        items.append(None)
    return items


def submit_score_sheet(*, actor, call_off: CallOff, bid: Bid) -> ScoreSheet:
    with transaction.atomic():
        locked = _after_deadline(call_off)
        member = _panel_member(actor, locked)
        _may_score(member, bid)
        scored = {s.question_id for s in Score.objects.filter(panel_member=member, bid=bid)}
        missing = [q for q in criteria(locked) if (q.pk if q else None) not in scored]
        if missing:
            raise ValidationError(
                _("Score every answer before you submit: %(missing)s")
                % {
                    "missing": ", ".join(
                        _("question %(n)s") % {"n": q.position} if q else _("social value") for q in missing
                    )
                }
            )
        sheet = ScoreSheet.objects.create(panel_member=member, bid=bid)
        audit.record(actor=actor, action="calloffs.scores_submitted", obj=locked, after={"bid": bid.pk})
    return sheet


def evaluators_for(call_off: CallOff, bid: Bid) -> list[PanelMember]:
    """Panel members who score this bid: those who declared no conflict with it."""
    ids = ConflictDeclaration.objects.filter(panel_member__call_off=call_off, bid=bid, has_conflict=False).values(
        "panel_member_id"
    )
    return list(PanelMember.objects.filter(pk__in=ids).select_related("user"))


def record_consensus(
    *, actor, call_off: CallOff, bid: Bid, question: QualityQuestion | None, score, reason
) -> ConsensusScore:
    """Moderation: the score the panel agreed for one answer, with the reason (recorded by the commissioner)."""
    reason = _require_text(reason, "reason", _("Write the reason for the agreed score"), max_words=500)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= MAX_SCORE:
        raise ValidationError({"score": _("Choose a score from 0 to %(max)s") % {"max": MAX_SCORE}})
    with transaction.atomic():
        locked = _after_deadline(call_off)
        _require_commissioner(actor, locked)
        if locked.award_recommended_at:
            raise ValidationError(_("The award has been recommended: scores can no longer change"))
        undeclared = PanelMember.objects.filter(call_off=locked).exclude(declarations__bid=bid)
        if undeclared.exists():
            raise ValidationError(
                _("Every panel member must declare whether they have a conflict with this bidder first")
            )
        scorers = evaluators_for(locked, bid)
        if not scorers:
            raise ValidationError(_("No evaluator without a conflict of interest has declared for this bid yet"))
        submitted = set(
            ScoreSheet.objects.filter(bid=bid, panel_member__in=scorers).values_list("panel_member_id", flat=True)
        )
        if len(submitted) != len(scorers):
            raise ValidationError(_("Every evaluator must submit their scores for this bid before moderation"))
        consensus, _created = ConsensusScore.objects.update_or_create(
            bid=bid,
            question=question,
            defaults={"score": score, "reason": reason, "recorded_by": actor, "recorded_at": timezone.now()},
        )
        audit.record(
            actor=actor,
            action="calloffs.consensus_recorded",
            obj=locked,
            after={
                "bid": bid.pk,
                "question": question.position if question else "social value",
                "score": score,
                "reason": reason,
            },
        )
    return consensus


def recommend_award(*, actor, call_off: CallOff) -> CallOff:
    """Recommend the top-ranked compliant bid for each lot (see evaluation.results())."""
    from . import evaluation
    from .models import LotAward

    with transaction.atomic():
        locked = _after_deadline(call_off)
        _require_commissioner(actor, locked)
        if locked.award_recommended_at:
            raise ValidationError(_("An award has already been recommended"))
        results = evaluation.results(locked)
        if results.unmoderated:
            raise ValidationError(_("Record the agreed scores for every bid before recommending an award"))
        winners = {lot_result.lot.pk: lot_result.winner for lot_result in results.lots if lot_result.winner}
        if not winners:
            raise ValidationError(_("No lot has a compliant bid: close the call-off with no award instead"))
        for lot in locked.lots.all():
            winner = winners.get(lot.pk)
            if winner is not None:
                LotAward.objects.create(lot=lot, bid=winner.bid)
        locked.award_recommended_at, locked.award_recommended_by = timezone.now(), actor
        locked.save(update_fields=["award_recommended_at", "award_recommended_by"])
        audit.record(
            actor=actor,
            action="calloffs.award_recommended",
            obj=locked,
            after={"lots": {str(lot_id): bid_result.bid.pk for lot_id, bid_result in winners.items()}},
        )
        notify(
            users=_commissioners_for(locked.region_id, exclude=actor),
            title=_("An award for %(title)s is waiting for approval") % {"title": locked.title},
            link=f"/evaluation/{locked.reference}/",
        )
    return locked


def standstill_end(approved_at, days: int) -> datetime:
    """The end of the standstill: midnight (UK time) at the end of the last calendar day. No standstill (0 days,
    which only a demo or a below-threshold grant would use) ends at once."""
    if days == 0:
        return approved_at
    last_day = timezone.localtime(approved_at, UK).date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=UK)


def approve_award(*, actor, call_off: CallOff) -> CallOff:
    """A second person approves the recommended award: every bidder gets a letter with their own scores and
    reasons, the winner's scores, and the date the standstill ends."""
    from . import evaluation
    from .models import AwardLetter

    with transaction.atomic():
        locked = _after_deadline(call_off)
        _require_commissioner(actor, locked)
        if not locked.award_recommended_at:
            raise ValidationError(_("No award has been recommended yet"))
        if locked.award_approved_at:
            raise ValidationError(_("The award has already been approved"))
        if locked.award_recommended_by_id == actor.pk:
            raise ValidationError(_("A second person must approve the award: you recommended it"))
        now = timezone.now()
        locked.award_approved_at, locked.award_approved_by = now, actor
        locked.standstill_ends_at = standstill_end(now, locked.standstill_days)
        locked.save(update_fields=["award_approved_at", "award_approved_by", "standstill_ends_at"])
        results = evaluation.results(locked)
        for bid in counted_bids(locked):
            AwardLetter.objects.create(call_off=locked, bid=bid, body=evaluation.letter(results, bid, locked))
        audit.record(
            actor=actor,
            action="calloffs.award_approved",
            obj=locked,
            after={"standstill_ends_at": locked.standstill_ends_at, "letters": len(counted_bids(locked))},
        )
        from dynamic_framework.accounts.models import User

        for bid in counted_bids(locked):
            grants = RoleGrant.objects.active().filter(
                organisation_id=bid.organisation_id, role__in=[Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
            )
            notify(
                users=User.objects.filter(pk__in=grants.values("user_id")),
                title=_("The outcome of %(title)s") % {"title": locked.title},
                body=_("Read your letter: your scores, the winning scores and when the standstill period ends."),
                link=f"/opportunities/{locked.reference}/outcome/",
            )
    return locked


def confirm_award(*, actor, call_off: CallOff) -> CallOff:
    """After the standstill: the award is final, and each lot becomes a contract (or grant agreement) in the
    contract register, with the supply chain from the winning bid."""
    from .awarding import create_agreements

    with transaction.atomic():
        locked = _lock(call_off)
        _require_commissioner(actor, locked)
        if not locked.award_approved_at:
            raise ValidationError(_("The award has not been approved"))
        if locked.awarded_at:
            raise ValidationError(_("The award has already been confirmed"))
        if timezone.now() < locked.standstill_ends_at:
            raise ValidationError(
                _("The standstill period ends at %(when)s: the award can be confirmed after that")
                % {"when": _uk(locked.standstill_ends_at)}
            )
        contracts = create_agreements(actor=actor, call_off=locked)
        locked.awarded_at, locked.awarded_by = timezone.now(), actor
        locked.save(update_fields=["awarded_at", "awarded_by"])
        audit.record(
            actor=actor, action="calloffs.awarded", obj=locked, after={"contracts": [c.reference for c in contracts]}
        )
    return locked


# Alerts -----------------------------------------------------------------------------------------------------------
# Email alerts for new opportunities, without an account, with double opt-in: nothing is sent until the person
# opens the link in the confirmation email. The audit log keeps the subscription's id and choices, never the
# email address (the object is named by type and id only, so its __str__ with the address is not recorded).

ALERT_OBJECT_TYPE = "calloffs.alertsubscription"


def _alert_actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else "member of the public"


def _alert_choices(subscription) -> dict:
    return {
        "subscription": subscription.pk,
        "categories": sorted(c.slug for c in subscription.categories.all()),
        "pcc_areas": sorted(a.slug for a in subscription.pcc_areas.all()),
    }


def subscribe_to_alerts(*, actor, email: str, categories=(), pcc_areas=()):
    """A new, unconfirmed subscription, and the email with the link to confirm it (sent after the commit).

    No category means every category; no area means everywhere."""
    from django.contrib.auth.base_user import BaseUserManager
    from django.core.validators import validate_email

    from .models import AlertSubscription
    from .tasks import send_alert_confirmation

    email = BaseUserManager.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Enter an email address in the correct format, like name@example.org")}
        ) from exc
    if len(email) > 254:
        raise ValidationError({"email": _("The email address must be 254 characters or fewer")})
    with transaction.atomic():
        subscription = AlertSubscription.objects.create(email=email)
        subscription.categories.set(list(categories or []))
        subscription.pcc_areas.set(list(pcc_areas or []))
        audit.record(
            actor=_alert_actor(actor),
            action="calloffs.alerts_subscribed",
            object_type=ALERT_OBJECT_TYPE,
            object_id=subscription.pk,
            after=_alert_choices(subscription),
        )
        transaction.on_commit(lambda: send_alert_confirmation.enqueue(subscription_id=subscription.pk))
    return subscription


def confirm_alerts(*, actor, subscription):
    """Confirm a subscription (idempotent: confirming twice changes nothing). Earlier confirmed subscriptions for
    the same address are stopped, so the newest choices replace them and nobody gets the same alert twice."""
    from .models import AlertSubscription

    with transaction.atomic():
        locked = AlertSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.unsubscribed_at:
            raise ValidationError(_("These alerts have been stopped"))
        if locked.confirmed_at:
            return locked
        now = timezone.now()
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
        replaced = list(
            AlertSubscription.objects.filter(
                email__iexact=locked.email, confirmed_at__isnull=False, unsubscribed_at__isnull=True
            )
            .exclude(pk=locked.pk)
            .values_list("pk", flat=True)
        )
        AlertSubscription.objects.filter(pk__in=replaced).update(unsubscribed_at=now)
        audit.record(
            actor=_alert_actor(actor),
            action="calloffs.alerts_confirmed",
            object_type=ALERT_OBJECT_TYPE,
            object_id=locked.pk,
            after={**_alert_choices(locked), "replaced": sorted(replaced)},
        )
    return locked


def unsubscribe_alerts(*, actor, subscription):
    """Stop a subscription's alerts (idempotent)."""
    from .models import AlertSubscription

    with transaction.atomic():
        locked = AlertSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.unsubscribed_at:
            return locked
        locked.unsubscribed_at = timezone.now()
        locked.save(update_fields=["unsubscribed_at"])
        audit.record(
            actor=_alert_actor(actor),
            action="calloffs.alerts_unsubscribed",
            object_type=ALERT_OBJECT_TYPE,
            object_id=locked.pk,
            after={"subscription": locked.pk},
        )
    return locked
