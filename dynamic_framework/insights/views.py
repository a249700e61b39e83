"""The insights pages: the dashboard, the contracts behind a figure, and the CSV and JSON downloads.

All public. Filters come from the query string (GET), so every view of the figures has its own address. A bad
filter value is shown as an error and left out; it never causes a server error.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dynamic_framework.contracts.notices import cascade_measure
from dynamic_framework.core.downloads import bad_filters
from dynamic_framework.core.pagination import page_links

from . import charts, exports, selectors
from .analysis import SelectionError, analyse, lot_label
from .figures import PENCE, SHARE, display
from .forms import ContractsFilterForm, InsightsFilterForm
from .published import STATUS_EXPLAINED, STATUS_LABELS

PAGE_SIZE = 50

# The dashboard's sections, in order: (id, heading, the tables shown in it).
SECTIONS = [
    ("lot-types", gettext_lazy("Lot types"), ["lot-types", "voluntary-by-lot-type"]),
    ("regions", gettext_lazy("Regions"), ["regions"]),
    ("sectors", gettext_lazy("Sectors and lead providers"), ["lead-sectors", "lead-providers"]),
    (
        "supply-chains",
        gettext_lazy("Supply chains"),
        [
            "supply-chains",
            "supply-chain-sectors",
            "supply-chain-sizes",
            "supply-chain-sizes-by-lot-type",
            "supply-chain-size-bands",
            "repeat-partners",
        ],
    ),
    ("concentration", gettext_lazy("Concentration"), ["concentration", "top-providers"]),
    ("wales", gettext_lazy("Wales"), ["wales", "wales-organisations"]),
    ("specialists", gettext_lazy("Specialist organisations"), ["specialisms", "specialist-organisations"]),
]


def _form(form_class, request):
    form = form_class(
        request.GET or None,
        rounds=selectors.rounds(),
        regions=selectors.regions(),
        pcc_areas=selectors.pcc_areas(),
    )
    if form.is_bound:
        form.is_valid()
    return form


def _analysis(form):
    try:
        return analyse(**form.selection())
    except SelectionError:  # no commissioning round loaded yet
        return None


def _links(analysis):
    """URL helpers for the templates, keeping the selection in every link."""
    params = analysis.selection.params()

    def contracts_url(key: str | None) -> str:
        return f"{reverse('insights:contracts')}?{urlencode(analysis.selection.params(metric=key))}" if key else ""

    def csv_url(table: str, **extra) -> str:
        return f"{reverse('insights:download-csv', kwargs={'table': table})}?{urlencode({**params, **extra})}"

    def json_url() -> str:
        return f"{reverse('insights:download-json')}?{urlencode(params)}"

    def dashboard_url() -> str:
        return f"{reverse('insights:dashboard')}?{urlencode(params)}"

    return {"contracts_url": contracts_url, "csv_url": csv_url, "json_url": json_url, "dashboard_url": dashboard_url}


def show(value, unit, short=False):
    return display(value, unit, short=short)


@require_safe
def dashboard(request):
    form = _form(InsightsFilterForm, request)
    analysis = _analysis(form)
    context = {"form": form, "analysis": analysis, "clear_url": request.path}
    if analysis is not None:
        sections = [
            (section_id, heading, [analysis.tables[slug] for slug in slugs]) for section_id, heading, slugs in SECTIONS
        ]
        rendered = {slug: charts.render(t.chart, f"chart-{slug}") for slug, t in analysis.tables.items()}
        tables = exports.download_tables(analysis)
        groups: dict[str, list] = {}
        for comparison in analysis.published:
            groups.setdefault(comparison.statement.source, []).append(comparison)
        context.update(
            {
                "published_groups": list(groups.items()),
                "sections": sections,
                "charts": rendered,
                "download_list": [(slug, t.title) for slug, t in tables.items()],
                "show": show,
                "PENCE": PENCE,
                "SHARE": SHARE,
                "status_labels": STATUS_LABELS,
                "status_explained": STATUS_EXPLAINED,
                "rules": exports.RULES,
                "lot_label": lot_label,
                # Issue 6 (notices): how quickly notices reach supply chains, all regions, shown in aggregate
                "cascade": cascade_measure(),
                **_links(analysis),
            }
        )
    return render(request, "insights/dashboard.html", context)


def _contracts_for(form, analysis):
    """The chosen figure's contract set (None for every contract in the selection), or an error on the form."""
    metric = (getattr(form, "cleaned_data", {}) or {}).get("metric") or ""
    if metric and metric not in analysis.contract_sets:
        form.add_error(
            "metric", _("Choose a figure from the insights page: there is no figure %(key)s") % {"key": metric}
        )
        metric = ""
    chosen = analysis.contract_sets.get(metric) if metric else None
    contracts = analysis.contracts_for(metric) if chosen else analysis.contracts
    return chosen, contracts


def award_counts(contracts) -> dict[int, int]:
    counts: dict[int, int] = {}
    for c in contracts:
        if c.award_id:
            counts[c.award_id] = counts.get(c.award_id, 0) + 1
    return counts


@require_safe
def contracts(request):
    form = _form(ContractsFilterForm, request)
    analysis = _analysis(form)
    context = {"form": form, "analysis": analysis}
    if analysis is not None:
        chosen, rows = _contracts_for(form, analysis)
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        links = _links(analysis)
        context.update(
            {
                "chosen": chosen,
                "page": page,
                "award_counts": award_counts(analysis.contracts),
                "pagination": page_links(request, page, label=_("Pages of contracts")),
                "download_url": links["csv_url"]("contracts", metric=chosen.key if chosen else ""),
                "show": show,
                "PENCE": PENCE,
                **links,
            }
        )
    return render(request, "insights/contracts.html", context)


def _filename(analysis, name: str, ext: str) -> str:
    parts = [name, analysis.selection.round.slug]
    s = analysis.selection
    parts += [p for p in (s.region and s.region.slug, s.lot_type, s.pcc_area and s.pcc_area.slug) if p]
    return "-".join(parts).replace("_", "-") + f".{ext}"


@require_safe
def download_csv(request, table):
    form = _form(ContractsFilterForm, request)
    if form.errors:
        return bad_filters(form)
    analysis = _analysis(form)
    if analysis is None:
        raise Http404("No commissioning round has been loaded")
    if table == "contracts":
        chosen, rows = _contracts_for(form, analysis)
        if form.errors:
            return bad_filters(form)
        data = exports.contracts_table(rows, award_counts(analysis.contracts))
        name = f"contracts-{chosen.key}" if chosen else "contracts"
    else:
        tables = exports.download_tables(analysis)
        if table not in tables:
            raise Http404("No such table")
        data, name = tables[table], table
    response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(analysis, name, "csv")}"'
    return response


@require_safe
def download_json(request):
    form = _form(InsightsFilterForm, request)
    if form.errors:
        return bad_filters(form)
    analysis = _analysis(form)
    if analysis is None:
        raise Http404("No commissioning round has been loaded")
    response = JsonResponse(exports.analysis_json(analysis), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{_filename(analysis, "insights", "json")}"'
    return response
