"""The public directory and profiles, and the pages to edit, reclassify and verify an organisation."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.geography.models import PccArea, Region

from . import classification, selectors, services
from .forms import DirectoryFilterForm, OrganisationForm, SectorOverrideForm

PAGE_SIZE = 20


def _require_perm(request, perm: str, obj=None, next_url: str = ""):
    """Signed out: go and sign in, then come back. Signed in without permission: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url or request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


def _get_organisation(slug: str):
    org = selectors.organisation_profile(slug).first()
    if org is None:
        raise Http404("No such organisation")
    return org


def areas_summary(areas, region_sizes: dict[int, int]) -> list[dict]:
    """Areas served, grouped by region; a whole region is shown as the region."""
    out = []
    for region, region_areas in selectors.areas_by_region(areas):
        whole = len(region_areas) == region_sizes.get(region.pk, -1)
        out.append({"region": region, "areas": region_areas, "whole_region": whole})
    return out


def _region_sizes() -> dict[int, int]:
    return dict(Region.objects.annotate(n=Count("pcc_areas")).values_list("pk", "n"))


def directory(request):
    regions = list(Region.objects.order_by("name"))
    pcc_areas = list(PccArea.objects.order_by("name"))
    form = DirectoryFilterForm(
        request.GET or None, regions=regions, pcc_areas=pcc_areas, specialisms=list(selectors.specialisms())
    )
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    paginator = Paginator(selectors.directory(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    region_sizes = {r.pk: 0 for r in regions}
    for area in pcc_areas:
        region_sizes[area.region_id] += 1
    rows = [{"org": org, "areas": areas_summary(org.pcc_areas_served.all(), region_sizes)} for org in page]
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "pagination": page_links(request, page),
            "clear_url": request.path,
        },
    )


def profile(request, slug):
    org = _get_organisation(slug)
    user = request.user
    return render(
        request,
        "organisations/profile.html",
        {
            "org": org,
            "areas": areas_summary(org.pcc_areas_served.all(), _region_sizes()),
            "legal_form_rule": classification.LEGAL_FORMS.get(org.legal_form),
            "size_band": classification.SIZE_BAND_BY_CODE.get(org.size_band),
            "can_change": user.is_authenticated and user.has_perm("organisations.change_organisation", org),
            "can_override": user.is_authenticated and user.has_perm("organisations.set_sector_override", org),
            "can_verify": user.is_authenticated and user.has_perm("organisations.verify_organisation", org),
        },
    )


def edit(request, slug):
    org = _get_organisation(slug)
    denied = _require_perm(request, "organisations.change_organisation", org)
    if denied:
        return denied
    specialisms = list(selectors.specialisms())
    pcc_areas = list(PccArea.objects.order_by("name"))
    if request.method == "POST":
        form = OrganisationForm(request.POST, specialisms=specialisms, pcc_areas=pcc_areas)
        if form.is_valid():
            try:
                services.update_organisation(actor=request.user, organisation=org, **form.service_changes())
            except ValidationError as exc:
                add_service_errors(form, exc, OrganisationForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Organisation details saved"))
                next_url = request.GET.get("next", "")
                if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
                    return redirect(next_url)  # back to the page that sent them here (e.g. confirm your details)
                return redirect("organisations:profile", slug=org.slug)
    else:
        form = OrganisationForm(initial=OrganisationForm.initial_for(org), specialisms=specialisms, pcc_areas=pcc_areas)
    return render(request, "organisations/edit.html", {"org": org, "form": form})


def sector(request, slug):
    org = _get_organisation(slug)
    denied = _require_perm(request, "organisations.set_sector_override", org)
    if denied:
        return denied
    if request.method == "POST":
        form = SectorOverrideForm(request.POST, organisation=org)
        if form.is_valid():
            try:
                services.set_sector_override(
                    actor=request.user,
                    organisation=org,
                    sector=form.sector(),
                    reason=form.cleaned_data["sector_override_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Sector saved"))
                return redirect("organisations:profile", slug=org.slug)
    else:
        form = SectorOverrideForm(
            organisation=org,
            initial={
                "sector_override": org.sector_override or "none",
                "sector_override_reason": org.sector_override_reason,
            },
        )
    return render(
        request,
        "organisations/sector.html",
        {
            "org": org,
            "form": form,
            "legal_form_rule": classification.LEGAL_FORMS.get(org.legal_form),
            "derived_sector_label": classification.SECTOR_LABELS[org.derived_sector],
        },
    )


@require_POST
def verify(request, slug):
    org = _get_organisation(slug)
    denied = _require_perm(
        request, "organisations.verify_organisation", org, next_url=reverse("organisations:profile", args=[org.slug])
    )
    if denied:
        return denied
    services.mark_verified(actor=request.user, organisation=org)
    messages.success(request, _("Marked as checked against the registers"))
    return redirect("organisations:profile", slug=org.slug)
