"""Payments API, simulator part (ADR 0017).

- POST /api/v1/simulator/   public (no token needed), nothing saved: the same set-up as the /who-gets-paid/ page as
                            JSON (money integer pence, shares basis points: 2500 is 25%, results whole numbers),
                            answering who is paid what for each combination of who reaches their target and in the
                            expected, good and bad years (payments/simulator.py as_json). Bad input: 400 with field
                            errors, nested as the request is ({"subcontractors": {"0": {"share_bp": [...]}}}).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .. import simulator
from ..simulator import MAX_NAME, MAX_PENCE, MAX_RESULTS, MAX_SUBCONTRACTORS, SetupError

TAGS = ["Payments"]


def _whole(what: str, largest: int, *, null: bool = False, help_text: str = "", money: bool = False):
    limit = f"£{largest // 100:,}" if money else f"{largest:,}"
    return serializers.IntegerField(
        min_value=0,
        max_value=largest,
        required=False,
        allow_null=null,
        default=None if null else 0,
        help_text=help_text,
        error_messages={
            "invalid": f"Enter {what} in pence, as a whole number" if money else f"Enter {what} as a whole number",
            "min_value": f"Enter {what} as 0 pence or more" if money else f"Enter {what} as 0 or more",
            "max_value": f"Enter {what} of no more than {limit}",
            "max_string_length": f"Enter {what} of no more than {limit}",
            "null": f"Enter {what} as a whole number",
        },
    )


def _pence(what: str, help_text: str) -> serializers.IntegerField:
    return _whole(what, MAX_PENCE, help_text=help_text, money=True)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not take (nothing is ignored), like core.api.refuse_unknown."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: ["Send a JSON object"]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise ValidationError({key: ["This route does not take this field"] for key in unknown})
        return super().to_internal_value(data)


class SimulatorYearResultsSerializer(StrictSerializer):
    expected = _whole("the expected year's results", MAX_RESULTS, help_text="Results in an expected year.")
    good = _whole(
        "the good year's results", MAX_RESULTS, null=True, help_text="Null or left out: the expected year plus 25%."
    )
    bad = _whole(
        "the bad year's results", MAX_RESULTS, null=True, help_text="Null or left out: the expected year less 50%."
    )


def _choice(choices, message: str, help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[c.value for c in choices], help_text=help_text, error_messages={"invalid_choice": message}
    )


class SimulatorLeadProviderSerializer(StrictSerializer):
    mechanism = _choice(
        simulator.LeadMechanism,
        "Choose how the contract pays the lead provider: fixed_fee, grant, payment_by_results or hybrid",
        "; ".join(f"{k.value}: {text}" for k, (_label, text) in simulator.LEAD_MECHANISMS.items()),
    )
    yearly_value_pence = _pence("the yearly value", "Fixed fee, grant and hybrid: the contract's value for a year.")
    fixed_share_bp = _whole("the fixed share", 10_000, help_text="Hybrid: the fixed share in basis points (9000).")
    fee_pence = _pence("the fee", "Payment by results and hybrid: the fee for each result.")
    target = _whole(
        "the target",
        MAX_RESULTS,
        null=True,
        help_text="Payment by results and hybrid: the results of the whole supply chain needed to be paid. Null: none.",
    )
    results = SimulatorYearResultsSerializer(required=False, help_text="The lead provider's own results.")


class SimulatorSubcontractorSerializer(StrictSerializer):
    name = serializers.CharField(
        max_length=MAX_NAME,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": f"Enter a name of no more than {MAX_NAME} characters"},
    )
    terms = _choice(
        simulator.MemberTerms,
        "Choose how the lead provider pays this subcontractor: pass_through, protected_fixed_fee or payment_by_results",
        "; ".join(f"{k.value}: {text}" for k, (_label, text) in simulator.MEMBER_TERMS.items()),
    )
    share_bp = _whole("the share", 10_000, help_text="Pass-through: the share passed on, in basis points (2500).")
    protected_fee_pence = _pence("the protected fee", "Protected fixed fee: the fee for the year.")
    fee_pence = _pence("the fee", "Payment by results: its fee for each of its results.")
    target = _whole(
        "the target", MAX_RESULTS, null=True, help_text="Payment by results: its own results needed to be paid."
    )
    conditional_on_prime = serializers.BooleanField(
        required=False, default=False, help_text=simulator.CONDITIONAL_TEXT + " Payment by results only."
    )
    results = SimulatorYearResultsSerializer(required=False, help_text="Its own results.")


class SimulatorSetupSerializer(StrictSerializer):
    result_kind = _choice(
        simulator.ResultKind,
        "Choose what counts as a result: started, completed or outcomes",
        "What counts as a result (every fee is per result, every target counts results): started (people who "
        "start), completed (people who complete) or outcomes (outcomes achieved).",
    )
    lead_provider = SimulatorLeadProviderSerializer()
    subcontractors = serializers.ListField(
        child=SimulatorSubcontractorSerializer(),
        required=False,
        default=list,
        max_length=MAX_SUBCONTRACTORS,
        error_messages={
            "max_length": f"Enter no more than {MAX_SUBCONTRACTORS} subcontractors",
            "not_a_list": "Send the subcontractors as a list",
        },
    )


def nested_errors(errors: dict[str, list[str]]) -> dict:
    """simulator.SetupError's paths ("subcontractors.0.share_bp") as nested JSON; messages about a whole part
    that also has field errors go under non_field_errors."""
    out: dict = {}
    for path in sorted(errors, key=lambda p: p.count(".")):
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            existing = node.get(part)
            if isinstance(existing, list):
                node[part] = {api_settings.NON_FIELD_ERRORS_KEY: existing}
            node = node.setdefault(part, {})
        last = parts[-1]
        if isinstance(node.get(last), dict):
            node[last].setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(errors[path])
        else:
            node[last] = list(errors[path])
    return out


def _example_response() -> dict:
    return simulator.as_json(simulator.build(simulator.transforming_rehabilitation_example()))


class SimulatorViewSet(viewsets.ViewSet):
    """Who gets paid if... (the /who-gets-paid/ page's sums)."""

    permission_classes = [AllowAny]
    authentication_classes = []  # public and stateless: no session, so no CSRF check for browsers either

    @extend_schema(
        summary="Who gets paid if targets are missed",
        description="A lead provider (prime) with its contract terms and up to 5 subcontractors with theirs; nothing "
        "is saved. Answers, for each subcontractor, what the lead provider and the subcontractor are paid (and what "
        "the lead provider keeps) when each reaches or misses its target, in the order yes-yes, yes-no, no-yes, "
        "no-no (one row for someone with no target: null), with the expected year's results; for a subcontractor "
        "paid by results, what it would be paid conditional on the lead provider, not conditional, and with a "
        "protected fee of what its expected results earn; and what everyone is paid in the expected, good and bad "
        "years. Fields that do not apply to the terms chosen are left out of the sums. Money integer pence; a share "
        "is rounded down to the penny and the lead provider keeps the fraction. The lead provider's target counts "
        "the whole supply chain's results, a subcontractor's its own. 400: field errors in plain English, nested as "
        "the request (negative or non-numeric amounts, shares over 100% alone or added up, more than 5 "
        "subcontractors, a fee missing for terms that need one).",
        tags=TAGS,
        request=SimulatorSetupSerializer,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 400: OpenApiResponse(OpenApiTypes.OBJECT)},
        examples=[
            OpenApiExample(
                "The Transforming Rehabilitation example", value=simulator.example_json(), request_only=True
            ),
            OpenApiExample(
                "Who gets paid in the example", value=_example_response(), response_only=True, status_codes=["200"]
            ),
            OpenApiExample(
                "Pass-through shares over 100%",
                value={
                    "subcontractors": {
                        "non_field_errors": [
                            "The pass-through shares add up to more than 100% of the lead provider's payment"
                        ],
                        "0": {
                            "share_bp": [
                                "The pass-through shares add up to more than 100% of the lead provider's payment"
                            ]
                        },
                    }
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def create(self, request):
        serializer = SimulatorSetupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            scenario = simulator.build(simulator.setup_from_json(serializer.validated_data))
        except SetupError as exc:
            raise ValidationError(nested_errors(exc.errors)) from exc
        return Response(simulator.as_json(scenario))


def register(router) -> None:
    router.register("simulator", SimulatorViewSet, basename="simulator")
