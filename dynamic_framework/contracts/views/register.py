"""The contract register: the public list (with filters and a CSV download), each contract's page, its documents,
and the re-commissioning pipeline.

- register, register-csv   every contract and grant agreement (public), filtered by the query string
- contract                 one contract: public facts for everyone; for the contract's parties (its commissioners,
                           lead provider and supply chain) also the commissioner and documents not published. The
                           variations, supply chain and notices parts each add a partial, with the context their
                           module's contract_page_context(request=..., contract=...) gives
- document-add, document   a commissioner of the contract adds a document; downloads check permission first
- pipeline                 contracts ending in the next 6, 12 or 18 months, for commissioners and framework managers
"""

import csv
import importlib
import io
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from dynamic_framework.accounts.rules import commissioner_region_ids
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.downloads import bad_filters
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.money import format_pence
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.permissions import permission_required
from dynamic_framework.core.uploads import ACCEPT_ATTRIBUTE
from dynamic_framework.geography.models import Region

from .. import selectors, services
from ..forms_register import DocumentForm, PipelineForm, RegisterFilterForm, filters_active
from ..models import ContractDocument
from ..status import Status, status_of, today

PAGE_SIZE = 25
PARTIAL_MODULES = (
    "dynamic_framework.contracts.views.variations",
    "dynamic_framework.contracts.views.supply_chain",
    "dynamic_framework.contracts.views.notices",
    "dynamic_framework.payments.views.statements",  # payments (issue 7, statements part): terms and statements
)


# Facts shown for a contract in lists, the CSV, the API and its page ------------------------------------------------


@dataclass
class Value:
    pence: int | None
    shared_by: int  # the number of contracts of the award sharing it (1: not shared)
    per_year: bool  # from the contract's years (else the award's published value)

    @property
    def text(self) -> str:
        if self.pence is None:
            return _("Not published")
        return format_pence(self.pence)

    @property
    def note(self) -> str:
        if self.pence is None or self.shared_by <= 1:
            return ""
        return _("shared by the award's %(n)s contracts") % {"n": self.shared_by}


def value_of(contract) -> Value:
    """The contract's value: the sum of its years' values, else its award's published value. When the award
    covers several contracts (several PCC areas), the value is the award's, shared by them (as published)."""
    shared = getattr(contract, "award_contract_count", None) or 1
    years_total = getattr(contract, "years_value_pence", None)
    if years_total is None:
        values = [y.value_pence for y in contract.years.all() if y.value_pence is not None]
        years_total = sum(values) if values else None
    if years_total is not None:
        return Value(years_total, shared, True)
    award_value = contract.award.value_pence if contract.award_id else None
    return Value(award_value, shared, False)


def area_text(contract) -> str:
    if contract.pcc_area_id:
        return contract.pcc_area.name
    return _("%(region)s (whole region)") % {"region": contract.region.name}


def categories_text(contract) -> str:
    return "; ".join(c.name for c in sorted(contract.service_categories.all(), key=lambda c: c.number))


@dataclass
class Row:
    contract: object
    status: str
    value: Value

    @property
    def status_label(self):
        return Status.labels[self.status]

    @property
    def status_class(self):
        return Status.tag_classes[self.status]

    @property
    def area(self):
        return area_text(self.contract)


def rows_for(contracts, *, on=None) -> list[Row]:
    day = on or today()
    return [Row(c, status_of(c, on=day), value_of(c)) for c in contracts]


# The register ------------------------------------------------------------------------------------------------------


def _filter_form(data) -> RegisterFilterForm:
    form = RegisterFilterForm(data or None)
    if form.is_bound:
        form.is_valid()
    return form


def _headline(count: int) -> str:
    return ngettext("%(count)s contract or grant agreement", "%(count)s contracts and grant agreements", count) % {
        "count": count
    }


@require_safe
def register_page(request):
    form = _filter_form(request.GET)
    filters = form.filters()
    paginator = Paginator(selectors.register_contracts(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    user = request.user
    return render(
        request,
        "contracts/register/register.html",
        {
            "form": form,
            "filters_active": filters_active(filters),
            "page": page,
            "rows": rows_for(page),
            "headline": _headline(paginator.count),
            "pagination": page_links(request, page, label=_("Pages of the register")),
            "csv_url": reverse("contracts:register-csv") + (f"?{params.urlencode()}" if params else ""),
            "clear_url": request.path,
            "can_see_pipeline": user.is_authenticated and user.has_perm("contracts.view_pipeline"),
        },
    )


CSV_HEADER = [
    gettext_lazy("Reference"),
    gettext_lazy("HMPPS reference"),
    gettext_lazy("Title"),
    gettext_lazy("What it buys"),
    gettext_lazy("Service categories"),
    gettext_lazy("Region"),
    gettext_lazy("Area"),
    gettext_lazy("Areas served now"),
    gettext_lazy("Lead provider"),
    gettext_lazy("Supply chain"),
    gettext_lazy("Funding mechanism"),
    gettext_lazy("Value (pounds)"),
    gettext_lazy("Value shared by the award's contracts"),
    gettext_lazy("Start"),
    gettext_lazy("End"),
    gettext_lazy("Original end"),
    gettext_lazy("Status"),
    gettext_lazy("Commissioning round"),
    gettext_lazy("Award"),
]


def _areas_now(contract, day) -> list:
    return [a.pcc_area for a in contract.areas.all() if a.removed_on is None or a.removed_on >= day]


def csv_rows(contracts) -> list[list[str]]:
    day = today()
    out = [[str(h) for h in CSV_HEADER]]
    for row in rows_for(contracts, on=day):
        c = row.contract
        out.append(
            [
                c.reference,
                c.hmpps_reference or "",
                c.title,
                str(c.get_lot_type_display()),
                categories_text(c),
                c.region.name,
                c.pcc_area.name if c.pcc_area_id else "",
                "; ".join(a.name for a in _areas_now(c, day)),
                c.lead_provider.name,
                "; ".join(m.organisation.name for m in c.supply_chain.all() if m.left_on is None or m.left_on >= day),
                str(c.get_funding_mechanism_display()),
                f"{row.value.pence / 100:.2f}" if row.value.pence is not None else "",
                str(row.value.shared_by) if row.value.shared_by > 1 else "",
                c.start_date.isoformat() if c.start_date else "",
                c.end_date.isoformat() if c.end_date else "",
                c.original_end_date.isoformat() if c.original_end_date else "",
                str(row.status_label),
                c.round.name,
                c.award.reference if c.award_id else "",
            ]
        )
    return out


@require_safe
def register_csv(request):
    form = _filter_form(request.GET)
    if form.errors:
        return bad_filters(form)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(selectors.register_contracts(form.filters())))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contracts-{today().isoformat()}.csv"'
    return response


# One contract ------------------------------------------------------------------------------------------------------


def _contract_or_404(reference):
    contract = selectors.register_contract(reference)
    if contract is None:
        raise Http404("No such contract")
    return contract


def _as_at_url(contract) -> str | None:
    try:
        return reverse("contracts:as-at", kwargs={"reference": contract.reference})
    except NoReverseMatch:
        return None


def partial_context(request, contract) -> dict:
    """What each part's partial needs: contract_page_context() of views/variations.py, supply_chain.py and
    notices.py, where defined."""
    context = {}
    for name in PARTIAL_MODULES:
        module = importlib.import_module(name)
        function = getattr(module, "contract_page_context", None)
        if function is not None:
            context.update(function(request=request, contract=contract) or {})
    return context


def contract_facts(contract, *, day=None) -> dict:
    """The public facts of the contract's page (and the API's detail), from what register_contract() loaded."""
    day = day or today()
    areas = list(contract.areas.all())
    options = list(contract.extension_options.all())
    members = list(contract.supply_chain.all())
    return {
        "status": status_of(contract, on=day),
        "value": value_of(contract),
        "years": list(contract.years.all()),
        "areas_now": [a for a in areas if a.removed_on is None or a.removed_on >= day],
        "areas_before": [a for a in areas if a.removed_on is not None and a.removed_on < day],
        "options": options,
        "available_options": [o for o in options if o.exercised_at is None and o.exercise_by >= day],
        "members_now": [m for m in members if m.left_on is None or m.left_on >= day],
        "members_before": [m for m in members if m.left_on is not None and m.left_on < day],
        "award_contracts": list(contract.award.contracts.all()) if contract.award_id else [],
    }


@require_safe
def contract_page(request, reference):
    contract = _contract_or_404(reference)
    user = request.user
    party = user.is_authenticated and user.has_perm("contracts.view_contract_details", contract)
    can_manage_documents = user.is_authenticated and user.has_perm("contracts.manage_documents", contract)
    documents = [d for d in contract.documents.all() if d.public or party]
    facts = contract_facts(contract)
    context = {
        "contract": contract,
        **facts,
        "status_label": Status.labels[facts["status"]],
        "status_class": Status.tag_classes[facts["status"]],
        "status_description": Status.descriptions[facts["status"]],
        "categories": sorted(contract.service_categories.all(), key=lambda c: c.number),
        "area": area_text(contract),
        "party": party,
        "documents": documents,
        "can_manage_documents": can_manage_documents,
        "as_at_url": _as_at_url(contract),
        "today": today(),
    }
    context.update(partial_context(request, contract))
    return render(request, "contracts/contract.html", context)


# Documents ---------------------------------------------------------------------------------------------------------


def _contract_for_documents(request, reference):
    contract = selectors.contracts().filter(reference=reference).first()
    if contract is None:
        raise Http404("No such contract")
    return contract


@require_http_methods(["GET", "POST"])
@permission_required("contracts.manage_documents", fn=_contract_for_documents)
def document_add(request, reference):
    contract = _contract_for_documents(request, reference)
    form = DocumentForm()
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_document(
                    actor=request.user,
                    contract=contract,
                    title=form.cleaned_data["title"],
                    uploaded=form.cleaned_data.get("file"),
                    public=form.cleaned_data["public"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Document added"))
                return redirect(reverse("contracts:contract", kwargs={"reference": contract.reference}) + "#documents")
    return render(
        request,
        "contracts/register/document_add.html",
        {"contract": contract, "form": form, "accept": ACCEPT_ATTRIBUTE},
    )


@require_safe
def document(request, reference, pk):
    found = ContractDocument.objects.select_related("contract").filter(contract__reference=reference, pk=pk).first()
    if found is None:
        raise Http404("No such document")
    if not found.public:
        user = request.user
        if not user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not user.has_perm("contracts.view_contract_details", found.contract):
            raise PermissionDenied
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    name = found.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if not found.public:
        response["Cache-Control"] = "private, no-store"
    return response


# The re-commissioning pipeline ------------------------------------------------------------------------------------


@dataclass
class PipelineChoice:
    months: int
    regions: list  # region codes; empty: every region
    category: str


def pipeline_choice(data, user, *, regions, categories) -> tuple[PipelineForm, PipelineChoice]:
    """The pipeline's choices from the query string. A commissioner sees their own regions until they choose
    (the form sends chosen=1, so that choosing no region means every region); anyone may choose any region.
    Invalid choices are shown as errors and left out."""
    own = sorted(r.code for r in regions if r.pk in commissioner_region_ids(user))
    if not any(k in data for k in ("months", "region", "category", "chosen")):
        form = PipelineForm(None, regions=regions, categories=categories, initial={"months": 12, "region": own})
        return form, PipelineChoice(12, own, "")
    form = PipelineForm(data, regions=regions, categories=categories)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    if "region" in form.errors or not ("region" in data or data.get("chosen")):
        codes = own
    else:
        codes = list(cleaned.get("region") or [])
    return form, PipelineChoice(cleaned.get("months") or 12, codes, cleaned.get("category") or "")


def pipeline_summary(rows) -> dict:
    """Counts of contracts by region and by what they buy, for the summary table."""
    lots = sorted({r.contract.get_lot_type_display() for r in rows}, key=str)
    names = sorted({r.contract.region.name for r in rows})
    counts = {(name, lot): 0 for name in names for lot in lots}
    for r in rows:
        counts[(r.contract.region.name, r.contract.get_lot_type_display())] += 1
    return {
        "lots": lots,
        "regions": [
            {
                "name": name,
                "counts": [counts[(name, lot)] for lot in lots],
                "total": sum(counts[(name, lot)] for lot in lots),
            }
            for name in names
        ],
        "totals": [sum(counts[(name, lot)] for name in names) for lot in lots],
        "total": len(rows),
    }


@require_safe
@permission_required("contracts.view_pipeline")
def pipeline_page(request):
    regions = list(Region.objects.order_by("name"))
    categories = list(ServiceCategory.objects.order_by("number"))
    form, choice = pipeline_choice(request.GET, request.user, regions=regions, categories=categories)
    day = today()
    contracts = list(selectors.pipeline(months=choice.months, regions=choice.regions, category=choice.category, on=day))
    rows = []
    for row in rows_for(contracts, on=day):
        row.available = selectors.available_options(row.contract, on=day)
        rows.append(row)
    groups = {}
    for row in rows:
        groups.setdefault(row.contract.region.name, []).append(row)
    chosen_names = [r.name for r in regions if r.code in choice.regions]
    return render(
        request,
        "contracts/register/pipeline.html",
        {
            "form": form,
            "choice": choice,
            "groups": sorted(groups.items()),
            "summary": pipeline_summary(rows),
            "chosen_regions": chosen_names,
            "today": day,
        },
    )


urlpatterns = [
    path("contracts/", register_page, name="register"),
    path("contracts.csv", register_csv, name="register-csv"),
    path("contracts/pipeline/", pipeline_page, name="pipeline"),
    path("contracts/<str:reference>/", contract_page, name="contract"),
    path("contracts/<str:reference>/documents/add/", document_add, name="document-add"),
    path("contracts/<str:reference>/documents/<int:pk>/", document, name="document"),
]
