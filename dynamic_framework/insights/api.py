"""The insights as open data: the whole analysis for a selection, and the contracts behind any figure. Public.

The JSON is the same as the page's JSON download and `dynamic-framework insights --format json`.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dynamic_framework.contracts.models import LotType

from . import exports, selectors
from .analysis import SelectionError, analyse
from .forms import ContractsFilterForm, InsightsFilterForm
from .views import award_counts

FILTER_PARAMETERS = [
    OpenApiParameter(
        "round", OpenApiTypes.STR, description="Commissioning round slug; default: the 2021 national awards."
    ),
    OpenApiParameter("region", OpenApiTypes.STR, description="Probation region code, A to L."),
    OpenApiParameter("lot_type", OpenApiTypes.STR, enum=LotType.values, description="Lot type."),
    OpenApiParameter(
        "pcc_area",
        OpenApiTypes.STR,
        description="PCC area slug, like metropolitan: the area's contracts and its region's regional contracts. "
        "Award values covering several areas are counted whole.",
    ),
]
METRIC_PARAMETER = OpenApiParameter(
    "metric",
    OpenApiTypes.STR,
    description="The key of a figure's contracts, from `contracts` in the analysis (for example "
    "`lot-sector.personal_wellbeing.voluntary_and_community`). Empty: every contract in the selection.",
)


class ContractPagination(PageNumberPagination):
    page_size = 50


def _analysis(form_class, request):
    form = form_class(
        request.query_params,
        rounds=selectors.rounds(),
        regions=selectors.regions(),
        pcc_areas=selectors.pcc_areas(),
    )
    if not form.is_valid():
        raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
    try:
        return form, analyse(**form.selection())
    except SelectionError as exc:
        raise NotFound(str(exc)) from exc


class InsightsViewSet(viewsets.ViewSet):
    """Who holds the contracts of a commissioning round, and the contracts behind each figure."""

    permission_classes = [AllowAny]
    pagination_class = ContractPagination

    @extend_schema(
        summary="The analysis of a commissioning round",
        description="Every figure on the insights page for the selection: headline figures, each table (rows of "
        "cells, each with the key of its contracts), published statements compared with the data, the rules "
        "used, and `contract_sets`: for each key, the references of the contracts behind the figure. Money is "
        "integer pence; shares give their exact numerator and denominator and a percentage to one decimal place. "
        "A filter value that names nothing answers 400 with a message for that parameter. `notice_cascade`: over "
        "all regions whatever the selection, the share of supply chain members reached within 5 working days by "
        "notices that must be passed on, and the median working days to reach them, overall and by region.",
        tags=["Insights"],
        parameters=FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        _form, analysis = _analysis(InsightsFilterForm, request)
        return Response(exports.analysis_json(analysis))

    @extend_schema(
        summary="The contracts behind a figure",
        description="The contracts of the selection behind one figure (`metric`), paginated, each with its lead "
        "provider, award (value of the whole award) and supply chain.",
        tags=["Insights"],
        parameters=[*FILTER_PARAMETERS, METRIC_PARAMETER],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], url_path="contracts")
    def contracts(self, request):
        form, analysis = _analysis(ContractsFilterForm, request)
        metric = form.cleaned_data.get("metric") or ""
        if metric and metric not in analysis.contract_sets:
            raise ValidationError({"metric": [_("There is no figure %(key)s in this analysis") % {"key": metric}]})
        rows = analysis.contracts_for(metric) if metric else analysis.contracts
        counts = award_counts(analysis.contracts)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response([exports.contract_json(c, counts.get(c.award_id)) for c in page])
        response.data["selection"] = analysis.selection.as_json()
        response.data["metric"] = {"key": metric, "label": analysis.contract_sets[metric].label} if metric else None
        return response


def register(router):
    router.register("insights", InsightsViewSet, basename="insights")
