"""The register part of the demo (core/demo_contracts_register.py): options and years on three imported 2021
contracts, options taken up through the variation service, shown in the pipeline; a second run changes nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import selectors
from dynamic_framework.contracts.models import ContractYear, ExtensionOption, Variation
from dynamic_framework.contracts.status import Status, status_of
from dynamic_framework.core import demo_contracts_register as demo
from dynamic_framework.geography.models import Region


@time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_the_demo_gives_the_pipeline_something_real_and_loads_once(imported):
    commissioner = user_with_role(
        "commissioner", regions=list(Region.objects.filter(code__in=["A", "C"])), email=demo.COMMISSIONER
    )
    lines = demo.load_register_demo(users={demo.COMMISSIONER: commissioner})
    assert lines
    counts = (ExtensionOption.objects.count(), ContractYear.objects.count(), Variation.objects.count())
    assert counts == (7, 6, 5)
    pipeline = {c.reference: c for c in selectors.pipeline(months=6, regions=["A", "C"])}
    assert set(pipeline) == {"2021-L30-north-east", "2021-L66-yorkshire-and-the-humber", "2021-L59-south-yorkshire"}
    ete = pipeline["2021-L30-north-east"]
    assert ete.end_date == date(2027, 3, 31) and status_of(ete) == Status.IN_EXTENSION
    assert [o.position for o in selectors.available_options(ete)] == [3]
    assert selectors.available_options(pipeline["2021-L66-yorkshire-and-the-humber"]) == []
    assert ete.notes.startswith("Demo:")

    assert demo.load_register_demo(users={demo.COMMISSIONER: commissioner}) == []
    assert (ExtensionOption.objects.count(), ContractYear.objects.count(), Variation.objects.count()) == counts
