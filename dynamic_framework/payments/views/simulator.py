"""Payments pages, simulator part: "who gets paid if..." (ADR 0017).

- /who-gets-paid/   everyone, signed in or not, nothing saved: a lead provider and up to 5 subcontractors with their
                    terms, and what each is paid for every combination of who reaches their target, and in an
                    expected, a good and a bad year. A GET form: the set-up is the query string, so a result can be
                    shared and bookmarked. With no set-up, the Transforming Rehabilitation example (seed 004).
                    Bad input: the GOV.UK error summary and field errors (200), never a 500.
"""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import simulator
from ..forms_simulator import SLOTS, SimulatorForm, initial_for
from ..simulator_chart import years_chart


def _chart(years, rows):
    return years_chart(
        "chart-years",
        _("What each is paid in the expected, good and bad years"),
        _(
            "For each year, a bar for what the lead provider receives, for what each subcontractor is paid and for "
            "what the lead provider keeps, as long as the amount. The table after the chart gives the figures."
        ),
        [str(_(y.label)) for y in years],
        rows,
    )


@require_safe
def who_gets_paid(request):
    bound = any(key == "results" or key.split("-", 1)[0] in {"lead", *SLOTS} for key in request.GET)
    if bound:
        form = SimulatorForm(request.GET)
        scenario = form.scenario if form.is_valid() else None
    else:
        example = simulator.transforming_rehabilitation_example()
        form = SimulatorForm(initial=initial_for(example))
        scenario = simulator.build(example)
    context = {
        "form": form,
        "slots": SLOTS,
        "is_example": not bound,
        "scenario": scenario,
        "seed_rows": simulator.seed_table(),
        "simulator": simulator,
    }
    if scenario is not None:
        years = simulator.years(scenario)
        rows = simulator.year_table(years)
        context.update(
            {
                "combinations": simulator.combinations(scenario),
                "years": years,
                "year_rows": rows,
                "chart": _chart(years, rows),
                "result_label": simulator.RESULT_LABELS[scenario.measure.value],
                "one_result": simulator.ONE_RESULT[scenario.measure.value],
            }
        )
    return render(request, "payments/simulator/who_gets_paid.html", context)


urlpatterns = [path("who-gets-paid/", who_gets_paid, name="who-gets-paid")]
