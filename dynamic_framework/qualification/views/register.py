"""The public register of qualified providers, changes to it, and the yearly confirmation of details.

- register, register-csv   the register (public), with the filters in the query string; the CSV has the same rows
- register-entry           one organisation's entry: current qualifications and their history (public); framework
                           managers get the buttons to suspend, reinstate and remove, the organisation's provider
                           administrators the button to withdraw and the yearly confirmation
- suspend, reinstate, remove   framework managers change one qualification, with a reason
- withdraw-qualification   a provider administrator withdraws their organisation from one category
- confirm-details          a provider administrator confirms their organisation's details are still accurate

Qualification lasts until the framework ends (its effective end, with extensions) unless it is suspended or
removed, so the expiry shown is the framework's.
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from dynamic_framework.accounts.rules import administered_organisation_ids, is_member_of_organisation
from dynamic_framework.core.downloads import bad_filters
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.time import format_uk_date
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations import selectors as organisation_selectors
from dynamic_framework.organisations.identifiers import org_id
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.views import areas_summary

from .. import selectors, services
from ..forms_register import NEEDS_UPDATE, ConfirmDetailsForm, ReasonForm, RegisterFilterForm, filters_active
from ..models import DetailsConfirmation, Qualification, QualifiedArea

PAGE_SIZE = 20


def _framework():
    framework = selectors.the_framework()
    if framework is None:
        raise Http404("The framework has not been set up")
    return framework


def _require_perm(request, perm: str, obj=None):
    """Signed out: go and sign in, then come back. Signed in without permission: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


# The register ------------------------------------------------------------------------------------------------------


@dataclass
class Lookups:
    """Reference data the register's filters and area summaries need, read once per request."""

    regions: list
    pcc_areas: list
    region_sizes: dict[int, int]

    @classmethod
    def load(cls) -> "Lookups":
        regions = list(Region.objects.order_by("name"))
        pcc_areas = list(PccArea.objects.order_by("name"))
        sizes = {r.pk: 0 for r in regions}
        for area in pcc_areas:
            sizes[area.region_id] = sizes.get(area.region_id, 0) + 1
        return cls(regions, pcc_areas, sizes)


def _filter_form(data, framework, lookups: Lookups) -> RegisterFilterForm:
    form = RegisterFilterForm(
        data or None,
        categories=list(framework.categories.all()),
        regions=lookups.regions,
        pcc_areas=lookups.pcc_areas,
        specialisms=list(organisation_selectors.specialisms()),
    )
    if form.is_bound:
        form.is_valid()
    return form


def register_queryset(framework, filters: selectors.RegisterFilters):
    """The register's organisations, with identifiers too (for the CSV and the API)."""
    return selectors.register(framework, filters).prefetch_related("identifiers")


def _areas(qualification) -> list:
    return [qa.pcc_area for qa in qualification.areas.all()]


def matching_qualifications(organisation, filters: selectors.RegisterFilters) -> list:
    """The organisation's current qualifications that match the category and area filters (all of them when
    there are none). Works on what selectors.register() prefetched, so it makes no queries."""
    out = []
    for qualification in organisation.register_qualifications:
        if filters.category and qualification.category.slug != filters.category:
            continue
        areas = _areas(qualification)
        if filters.pcc_area and not any(a.slug == filters.pcc_area for a in areas):
            continue
        if filters.region and not any(a.region.code == filters.region for a in areas):
            continue
        out.append(qualification)
    return out


@dataclass
class RegisterRow:
    organisation: Organisation
    qualifications: list = field(default_factory=list)  # [(qualification, areas summary)]
    first_qualified_at: object = None


def _rows(organisations, filters, lookups: Lookups) -> list[RegisterRow]:
    rows = []
    for organisation in organisations:
        qualifications = matching_qualifications(organisation, filters)
        rows.append(
            RegisterRow(
                organisation=organisation,
                qualifications=[(q, areas_summary(_areas(q), lookups.region_sizes)) for q in qualifications],
                first_qualified_at=min((q.qualified_at for q in organisation.register_qualifications), default=None),
            )
        )
    return rows


def _headline(count: int, framework, filters, form) -> str:
    category = dict(form.fields["category"].choices).get(filters.category) if filters.category else None
    if filters.pcc_area:
        place = dict(form.fields["pcc_area"].choices).get(filters.pcc_area)
    elif filters.region:
        place = dict(form.fields["region"].choices).get(filters.region)
    else:
        place = None
    values = {"count": count, "category": category, "place": place, "framework": framework.name}
    if category and place:
        text = ngettext(
            "%(count)s organisation is qualified for %(category)s in %(place)s",
            "%(count)s organisations are qualified for %(category)s in %(place)s",
            count,
        )
    elif category:
        text = ngettext(
            "%(count)s organisation is qualified for %(category)s",
            "%(count)s organisations are qualified for %(category)s",
            count,
        )
    elif place:
        text = ngettext(
            "%(count)s organisation is qualified to work in %(place)s",
            "%(count)s organisations are qualified to work in %(place)s",
            count,
        )
    else:
        text = ngettext(
            "%(count)s organisation is qualified for the %(framework)s",
            "%(count)s organisations are qualified for the %(framework)s",
            count,
        )
    text = text % values
    if filters.q or filters.size_band or filters.sector or filters.specialism:
        text += " " + _("(of those that match your other filters)")
    return text


@require_safe
def register_page(request):
    framework = _framework()
    lookups = Lookups.load()
    form = _filter_form(request.GET, framework, lookups)
    filters = form.filters()
    paginator = Paginator(selectors.register(framework, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    csv_url = reverse("qualification:register-csv") + (f"?{params.urlencode()}" if params else "")
    return render(
        request,
        "qualification/register/register.html",
        {
            "framework": framework,
            "form": form,
            "filters_active": filters_active(filters),
            "page": page,
            "rows": _rows(page, filters, lookups),
            "headline": _headline(paginator.count, framework, filters, form),
            "pagination": page_links(request, page, label=_("Pages of the register")),
            "csv_url": csv_url,
            "clear_url": request.path,
        },
    )


CSV_HEADER = [
    gettext_lazy("Organisation"),
    gettext_lazy("Register numbers"),
    gettext_lazy("Sector"),
    gettext_lazy("Size"),
    gettext_lazy("Specialisms"),
    gettext_lazy("Service category"),
    gettext_lazy("Police and Crime Commissioner areas"),
    gettext_lazy("Probation regions"),
    gettext_lazy("Qualified on"),
    gettext_lazy("Qualified until"),
    gettext_lazy("Suspended"),
]


def uk_day(moment) -> str:
    """The date in the UK (YYYY-MM-DD) of a time stored in UTC."""
    return timezone.localtime(moment).date().isoformat() if moment else ""


def csv_rows(organisations, filters, framework) -> list[list[str]]:
    expires = framework.effective_end.isoformat()
    rows = [[str(h) for h in CSV_HEADER]]
    for organisation in organisations:
        identifiers = "; ".join(org_id(i.scheme, i.identifier) for i in organisation.identifiers.all())
        specialisms = "; ".join(s.name for s in organisation.specialisms.all())
        for qualification in matching_qualifications(organisation, filters):
            areas = _areas(qualification)
            regions = sorted({a.region.name for a in areas})
            rows.append(
                [
                    organisation.name,
                    identifiers,
                    str(organisation.sector_label),
                    str(organisation.size_band_label),
                    specialisms,
                    qualification.category.name,
                    "; ".join(a.name for a in areas),
                    "; ".join(regions),
                    uk_day(qualification.qualified_at),
                    expires,
                    _("yes") if qualification.is_suspended else _("no"),
                ]
            )
    return rows


@require_safe
def register_csv(request):
    framework = _framework()
    lookups = Lookups.load()
    form = _filter_form(request.GET, framework, lookups)
    if form.errors:
        return bad_filters(form)
    filters = form.filters()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(csv_rows(register_queryset(framework, filters), filters, framework))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"register-{framework.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# One organisation's entry -----------------------------------------------------------------------------------------


@dataclass
class Event:
    at: object
    category: object
    text: str
    reason: str = ""
    by_whom: str = ""


def _history(qualifications) -> list[Event]:
    """What happened to the organisation's qualifications, newest first."""
    events = []
    for q in qualifications:
        events.append(Event(q.qualified_at, q.category, _("Qualified")))
        later = {}
        for qa in q.areas.all():
            if qa.qualified_at > q.qualified_at:
                later.setdefault(qa.qualified_at, []).append(qa.pcc_area)
        for at, areas in later.items():
            names = ", ".join(a.name for a in sorted(areas, key=lambda a: a.name))
            events.append(Event(at, q.category, _("Areas added: %(areas)s") % {"areas": names}))
        for s in q.suspensions.all():
            events.append(Event(s.suspended_at, q.category, _("Suspended"), reason=s.reason))
            if s.lifted_at:
                events.append(Event(s.lifted_at, q.category, _("Reinstated"), reason=s.lift_note))
        if q.ended_at:
            events.append(Event(q.ended_at, q.category, str(q.get_ending_display()), reason=q.ending_reason))
    return sorted(events, key=lambda e: e.at, reverse=True)


def _current_suspension(qualification):
    return next((s for s in qualification.suspensions.all() if s.lifted_at is None), None)


@require_safe
def register_entry(request, slug):
    framework = _framework()
    organisation = selectors.register_entry(framework, slug)
    if organisation is None or not organisation.register_history:
        raise Http404("This organisation has never been on the register")
    user = request.user
    region_sizes = Lookups.load().region_sizes
    current = [q for q in organisation.register_history if q.ended_at is None]
    is_manager = user.is_authenticated and user.has_perm("qualification.manage_register")
    sample = organisation.register_history[0]
    can_withdraw = user.is_authenticated and user.has_perm("qualification.withdraw_qualification", sample)
    can_confirm = user.is_authenticated and user.has_perm("qualification.confirm_details", organisation)
    confirmation = None
    if can_confirm and current:
        due_on = services.confirmation_due_on(framework=framework, organisation=organisation)
        last = (
            DetailsConfirmation.objects.filter(framework=framework, organisation=organisation)
            .order_by("-confirmed_at")
            .first()
        )
        confirmation = {
            "due_on": due_on,
            "overdue": due_on is not None and due_on < timezone.localdate(),
            "last": last,
            "url": reverse("qualification:confirm-details") + "?" + urlencode({"organisation": organisation.slug}),
        }
    return render(
        request,
        "qualification/register/entry.html",
        {
            "framework": framework,
            "org": organisation,
            "current": [
                {
                    "qualification": q,
                    "areas": areas_summary(_areas(q), region_sizes),
                    "suspension": _current_suspension(q),
                }
                for q in current
            ],
            "history": _history(organisation.register_history),
            "is_manager": is_manager,
            "can_see_reasons": is_manager or is_member_of_organisation(user, organisation),
            "can_withdraw": can_withdraw,
            "confirmation": confirmation,
        },
    )


# Changes to one qualification ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    perm: str
    title: object
    field: str
    label: object
    hint: object
    button: object
    success: object  # with %(org)s and %(category)s
    service: str
    intro: object = ""


CHANGES = {
    "suspend": Change(
        perm="qualification.manage_register",
        title=gettext_lazy("Suspend this qualification"),
        field="reason",
        label=gettext_lazy("Why is it suspended?"),
        hint=gettext_lazy(
            "The provider sees this. While it is suspended it stays on the register, marked as suspended, and is "
            "not invited to bid for this category."
        ),
        button=gettext_lazy("Suspend"),
        success=gettext_lazy("%(org)s is suspended for %(category)s"),
        service="suspend_qualification",
    ),
    "reinstate": Change(
        perm="qualification.manage_register",
        title=gettext_lazy("Reinstate this qualification"),
        field="note",
        label=gettext_lazy("Why is it reinstated?"),
        hint=gettext_lazy("The provider sees this. It can then be invited to bid for this category again."),
        button=gettext_lazy("Reinstate"),
        success=gettext_lazy("%(org)s is reinstated for %(category)s"),
        service="reinstate_qualification",
    ),
    "remove": Change(
        perm="qualification.manage_register",
        title=gettext_lazy("Remove this qualification"),
        field="reason",
        label=gettext_lazy("Why is it removed?"),
        hint=gettext_lazy(
            "The provider sees this. It comes off the register for this category; it can apply again later."
        ),
        button=gettext_lazy("Remove from the register"),
        success=gettext_lazy("%(org)s is removed from the register for %(category)s"),
        service="remove_qualification",
    ),
    "withdraw": Change(
        perm="qualification.withdraw_qualification",
        title=gettext_lazy("Withdraw from this category"),
        field="reason",
        label=gettext_lazy("Why are you withdrawing?"),
        hint=gettext_lazy("A sentence is enough. It helps us make the framework better."),
        button=gettext_lazy("Withdraw"),
        success=gettext_lazy("%(org)s has withdrawn from %(category)s"),
        service="withdraw_qualification",
        intro=gettext_lazy(
            "Your organisation comes off the register for this category and will not be invited to bid for it. "
            "You can apply again at any time while the framework is open."
        ),
    ),
}


def _qualification(pk: int) -> Qualification:
    qualification = (
        Qualification.objects.with_suspension()
        .select_related("organisation", "category", "framework")
        .prefetch_related(Prefetch("areas", queryset=QualifiedArea.objects.select_related("pcc_area__region")))
        .filter(pk=pk)
        .first()
    )
    if qualification is None:
        raise Http404("No such qualification")
    return qualification


def _problem(action: str, qualification) -> str:
    """Why the change cannot be made now (the service's own message), or ""."""
    if qualification.ended_at:
        return _("This qualification has ended")
    if action == "suspend" and qualification.is_suspended:
        return _("This qualification is already suspended")
    if action == "reinstate" and not qualification.is_suspended:
        return _("This qualification is not suspended")
    return ""


def _change(request, pk: int, action: str):
    change = CHANGES[action]
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    qualification = _qualification(pk)
    denied = _require_perm(request, change.perm, qualification)
    if denied:
        return denied
    form_kwargs = {"field": change.field, "label": change.label, "hint": change.hint}
    if request.method == "POST":
        form = ReasonForm(request.POST, **form_kwargs)
        if form.is_valid():
            service = getattr(services, change.service)
            try:
                service(actor=request.user, qualification=qualification, **{change.field: form.text})
            except ValidationError as exc:
                add_service_errors(form, exc)
                qualification = _qualification(pk)
            else:
                names = {"org": qualification.organisation.name, "category": qualification.category.name}
                messages.success(request, change.success % names)
                return redirect("qualification:register-entry", slug=qualification.organisation.slug)
    else:
        form = ReasonForm(**form_kwargs)
    return render(
        request,
        "qualification/register/change.html",
        {
            "change": change,
            "action": action,
            "form": form,
            "qualification": qualification,
            "org": qualification.organisation,
            "areas": areas_summary(_areas(qualification), Lookups.load().region_sizes),
            "suspension": qualification.suspensions.filter(lifted_at__isnull=True).first()
            if qualification.is_suspended
            else None,
            "problem": _problem(action, qualification),
            "entry_url": reverse("qualification:register-entry", kwargs={"slug": qualification.organisation.slug}),
        },
    )


def suspend(request, pk):
    return _change(request, pk, "suspend")


def reinstate(request, pk):
    return _change(request, pk, "reinstate")


def remove(request, pk):
    return _change(request, pk, "remove")


def withdraw_qualification(request, pk):
    return _change(request, pk, "withdraw")


# The yearly confirmation of details ------------------------------------------------------------------------------


UPDATED = "updated"


def _confirm_url(organisation, **extra) -> str:
    return reverse("qualification:confirm-details") + "?" + urlencode({"organisation": organisation.slug, **extra})


def _choose_organisation(request, framework):
    """The organisation to confirm for (from ?organisation=), or a page to choose one, or None when the user
    administers only organisations with nothing to confirm."""
    slug = request.GET.get("organisation")
    if slug:
        organisation = organisation_selectors.organisation_profile(slug).first()
        if organisation is None:
            raise Http404("No such organisation")
        if not request.user.has_perm("qualification.confirm_details", organisation):
            raise PermissionDenied
        return organisation, None
    administered = list(
        Organisation.objects.filter(pk__in=administered_organisation_ids(request.user)).order_by("name")
    )
    if not administered:
        raise PermissionDenied
    qualified_ids = set(
        Qualification.objects.current()
        .filter(framework=framework, organisation__in=administered)
        .values_list("organisation_id", flat=True)
    )
    qualified = [o for o in administered if o.pk in qualified_ids]
    if len(qualified) > 1:
        return None, qualified
    chosen = qualified[0] if qualified else administered[0] if len(administered) == 1 else None
    if chosen is None:
        return None, []
    return organisation_selectors.organisation_profile(chosen.slug).first(), None


def confirm_details(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    framework = _framework()
    organisation, choices = _choose_organisation(request, framework)
    if organisation is None:
        return render(
            request,
            "qualification/register/confirm_choose.html",
            {"framework": framework, "choices": [(o, _confirm_url(o)) for o in choices or []]},
        )
    current = list(
        Qualification.objects.current()
        .filter(framework=framework, organisation=organisation)
        .with_suspension()
        .select_related("category")
        .prefetch_related(Prefetch("areas", queryset=QualifiedArea.objects.select_related("pcc_area__region")))
        .order_by("category__number")
    )
    after_update = request.GET.get("step") == UPDATED
    form, problem = ConfirmDetailsForm(), ""
    if request.method == "POST" and current:
        outcome = UPDATED if request.POST.get("outcome") == UPDATED else None
        if outcome is None:
            form = ConfirmDetailsForm(request.POST)
            if form.is_valid():
                if form.cleaned_data["outcome"] == NEEDS_UPDATE:
                    edit = reverse("organisations:edit", kwargs={"slug": organisation.slug})
                    return redirect(edit + "?" + urlencode({"next": _confirm_url(organisation, step=UPDATED)}))
                outcome = DetailsConfirmation.Outcome.STILL_ACCURATE
        if outcome is not None:
            try:
                services.confirm_details(
                    actor=request.user, framework=framework, organisation=organisation, outcome=outcome
                )
            except ValidationError as exc:
                problem = " ".join(exc.messages)
            else:
                due_on = services.confirmation_due_on(framework=framework, organisation=organisation)
                messages.success(
                    request,
                    _("Thank you: %(org)s's details are confirmed. The next confirmation is due by %(when)s.")
                    % {"org": organisation.name, "when": format_uk_date(due_on)},
                )
                return redirect("qualification:register-entry", slug=organisation.slug)
    due_on = services.confirmation_due_on(framework=framework, organisation=organisation) if current else None
    region_sizes = Lookups.load().region_sizes
    return render(
        request,
        "qualification/register/confirm.html",
        {
            "framework": framework,
            "org": organisation,
            "form": form,
            "current": [(q, areas_summary(_areas(q), region_sizes)) for q in current],
            "served": areas_summary(organisation.pcc_areas_served.all(), region_sizes),
            "due_on": due_on,
            "overdue": due_on is not None and due_on < timezone.localdate(),
            "after_update": after_update,
            "problem": problem,
            "edit_url": reverse("organisations:edit", kwargs={"slug": organisation.slug})
            + "?"
            + urlencode({"next": _confirm_url(organisation, step=UPDATED)}),
        },
    )


urlpatterns = [
    path("framework/register/", register_page, name="register"),
    path("framework/register.csv", register_csv, name="register-csv"),
    path("framework/confirm-your-details/", confirm_details, name="confirm-details"),
    path("framework/register/qualifications/<int:pk>/suspend/", suspend, name="suspend"),
    path("framework/register/qualifications/<int:pk>/reinstate/", reinstate, name="reinstate"),
    path("framework/register/qualifications/<int:pk>/remove/", remove, name="remove"),
    path("framework/register/qualifications/<int:pk>/withdraw/", withdraw_qualification, name="withdraw-qualification"),
    path("framework/register/<slug:slug>/", register_entry, name="register-entry"),
]
