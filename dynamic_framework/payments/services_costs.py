"""Services for saved full-cost-recovery checks: save, change, share anonymously and withdraw sharing, and the
commissioners' anonymous aggregate (selectors at the end). See costs.py for the arithmetic and ADR 0018.

Every service takes keyword arguments only, runs in one transaction, records an audit event and refuses bad input
with a ValidationError naming the field (`title`, `organisation`, `lot`, `category`, `region`, `years`, or
`years.<i>.<field>` for one figure of the i-th year, counting from 0). Nothing partial is saved.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from dynamic_framework.accounts.rules import member_organisation_ids
from dynamic_framework.core import audit

from . import costs
from .models import CostCheck, CostCheckYear

#: Aggregates are shown only when at least this many organisations shared a check (ADR 0018).
MINIMUM_ORGANISATIONS = 3


def figures_from(rows) -> list[costs.YearFigures]:
    """Year rows as dicts (or YearFigures) -> YearFigures; money in pence, people as whole numbers."""
    out = []
    for row in rows:
        if isinstance(row, costs.YearFigures):
            out.append(row)
            continue
        out.append(
            costs.YearFigures(
                financial_year=row.get("financial_year"),
                value_pence=row.get("value_pence"),
                contracted_people=row.get("contracted_people"),
                expected_people=row.get("expected_people"),
                **{name: row.get(name, 0) if row.get(name) is not None else 0 for name in costs.COST_FIELDS},
            )
        )
    return out


def refuse_problems(figures) -> None:
    found = costs.problems(figures)
    if found:
        raise ValidationError({("years" if key == "years" else f"years.{key}"): msgs for key, msgs in found.items()})


def run_check(rows) -> costs.CheckResult:
    """The stateless check: figures in, results out, nothing saved. ValidationError for bad figures."""
    figures = figures_from(rows)
    refuse_problems(figures)
    return costs.check(figures)


def _snapshot(check: CostCheck) -> dict:
    return {
        "organisation": check.organisation_id,
        "lot": check.lot_id,
        "category": check.category_id,
        "region": check.region_id,
        "title": check.title,
        "shared": check.shared_at is not None,
        "years": [
            {name: getattr(y, name) for name in costs.YEAR_FIELDS} for y in check.years.order_by("financial_year")
        ],
    }


def _clean_header(*, actor, organisation, lot, category, region, title) -> dict:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter a name for this check, like the call-off and lot it is for"
    elif len(title) > 200:
        errors["title"] = "Enter a name of no more than 200 characters"
    if organisation is None:
        errors["organisation"] = "Choose the organisation this check is for"
    elif organisation.pk not in member_organisation_ids(actor):
        raise PermissionDenied("Only the organisation's members can save its checks")
    if lot is not None:
        if region is None:
            region = lot.region
        elif region.pk != lot.region_id:
            errors["region"] = "The region must be the lot's region"
        lot_categories = list(lot.call_off.categories.all())
        if category is None and lot_categories:
            category = lot_categories[0]
        elif category is not None and category not in lot_categories:
            errors["category"] = "Choose one of the call-off's service categories"
    if errors:
        raise ValidationError(errors)
    return {"organisation": organisation, "lot": lot, "category": category, "region": region, "title": title}


def _write_years(check: CostCheck, figures) -> None:
    check.years.all().delete()
    CostCheckYear.objects.bulk_create(
        [
            CostCheckYear(cost_check=check, **{name: getattr(f, name) for name in costs.YEAR_FIELDS})
            for f in sorted(figures, key=lambda f: f.financial_year)
        ]
    )


def save_check(*, actor, organisation, title, years, lot=None, category=None, region=None, share=False) -> CostCheck:
    """Save a new check for one of the actor's organisations. `share=True` shares it at once (the explicit opt-in)."""
    header = _clean_header(
        actor=actor, organisation=organisation, lot=lot, category=category, region=region, title=title
    )
    figures = figures_from(years)
    refuse_problems(figures)
    if share:
        _refuse_unshareable(header["category"], header["region"])
    now = timezone.now()
    with transaction.atomic():
        check = CostCheck.objects.create(
            **header,
            created_at=now,
            created_by=actor,
            updated_at=now,
            updated_by=actor,
            shared_at=now if share else None,
            shared_by=actor if share else None,
        )
        _write_years(check, figures)
        audit.record(actor=actor, action="payments.cost_check_saved", obj=check, after=_snapshot(check))
    return check


def _lock(check: CostCheck, actor) -> CostCheck:
    locked = CostCheck.objects.select_for_update().get(pk=check.pk)
    if locked.organisation_id not in member_organisation_ids(actor):
        raise PermissionDenied("Only the organisation's members can change its checks")
    return locked


def change_check(*, actor, check: CostCheck, title, years, category=None, region=None) -> CostCheck:
    """Change a saved check's name, category, region and figures (all years are replaced)."""
    lot = check.lot
    header = _clean_header(
        actor=actor, organisation=check.organisation, lot=lot, category=category, region=region, title=title
    )
    figures = figures_from(years)
    refuse_problems(figures)
    with transaction.atomic():
        check = _lock(check, actor)
        if check.shared_at is not None:
            _refuse_unshareable(header["category"], header["region"])
        before = _snapshot(check)
        check.title, check.category, check.region = header["title"], header["category"], header["region"]
        check.updated_at, check.updated_by = max(timezone.now(), check.created_at), actor
        check.save()
        _write_years(check, figures)
        audit.record(
            actor=actor, action="payments.cost_check_changed", obj=check, before=before, after=_snapshot(check)
        )
    return check


def _refuse_unshareable(category, region) -> None:
    errors = {}
    if category is None:
        errors["category"] = "Choose the service category, so that commissioners can compare like with like"
    if region is None:
        errors["region"] = "Choose the region, so that commissioners can compare like with like"
    if errors:
        raise ValidationError(errors)


def share_check(*, actor, check: CostCheck) -> CostCheck:
    """Share the check anonymously with commissioners (the organisation's explicit choice)."""
    with transaction.atomic():
        check = _lock(check, actor)
        if check.shared_at is not None:
            raise ValidationError("This check is already shared")
        _refuse_unshareable(check.category, check.region)
        check.shared_at, check.shared_by = timezone.now(), actor
        check.save(update_fields=["shared_at", "shared_by"])
        audit.record(actor=actor, action="payments.cost_check_shared", obj=check, after={"shared": True})
    return check


def withdraw_sharing(*, actor, check: CostCheck) -> CostCheck:
    """Stop sharing: the check is no longer counted in any aggregate."""
    with transaction.atomic():
        check = _lock(check, actor)
        if check.shared_at is None:
            raise ValidationError("This check is not shared")
        before = {"shared": True, "shared_at": check.shared_at.isoformat(), "shared_by": check.shared_by_id}
        check.shared_at, check.shared_by = None, None
        check.save(update_fields=["shared_at", "shared_by"])
        audit.record(actor=actor, action="payments.cost_check_sharing_withdrawn", obj=check, before=before)
    return check


# Selectors -------------------------------------------------------------------------------------------------------


def checks_for(user):
    """The saved checks of the user's organisations, newest change first (years prefetched)."""
    return (
        CostCheck.objects.filter(organisation_id__in=member_organisation_ids(user))
        .select_related("organisation", "lot__call_off", "category", "region")
        .prefetch_related(Prefetch("years", queryset=CostCheckYear.objects.order_by("financial_year")))
        .order_by("-updated_at", "-pk")
    )


def result_of(check: CostCheck) -> costs.CheckResult:
    return costs.check([y.figures() for y in check.years.all()])


def _one_per_organisation(queryset) -> list[CostCheck]:
    """Each organisation counts once: its most recently changed shared check."""
    latest = {}
    for check in (
        queryset.filter(shared_at__isnull=False)
        .prefetch_related(Prefetch("years", queryset=CostCheckYear.objects.order_by("financial_year")))
        .order_by("-updated_at", "-pk")
    ):
        latest.setdefault(check.organisation_id, check)
    return list(latest.values())


def shared_aggregate(*, category=None, region=None, lot=None) -> costs.Aggregate:
    """The anonymous aggregate of shared checks: for a lot (checks made against it), or for a service category and
    region. No organisation's name or figures are given; with fewer than 3 organisations, only their number."""
    queryset = CostCheck.objects.all()
    if lot is not None:
        queryset = queryset.filter(lot=lot)
    else:
        if category is None or region is None:
            raise ValidationError("Choose a service category and a region")
        queryset = queryset.filter(category=category, region=region)
    results = [result_of(check) for check in _one_per_organisation(queryset)]
    return costs.aggregate(results, minimum=MINIMUM_ORGANISATIONS)
