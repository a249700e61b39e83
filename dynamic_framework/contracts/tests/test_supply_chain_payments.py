"""Payments to subcontractors (record, mark paid, refusals) and the timeliness measure on hand-built cases."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.contracts import supply_chain as services
from dynamic_framework.contracts.models import Contract, SubcontractorPayment, SupplyChainMember
from dynamic_framework.core.models import AuditEvent


def pay(sc, member=None, **kwargs):
    values = {
        "actor": sc.lead_user,
        "member": member or sc.material,
        "invoiced_on": sc.today - timedelta(days=40),
        "amount_pence": 1_500_00,
    }
    values.update(kwargs)
    return services.record_payment(**values)


def test_recording_a_paid_invoice(sc):
    payment = pay(sc, paid_on=sc.today - timedelta(days=5), invoice_reference=" INV-1 ")
    assert (payment.amount_pence, payment.invoice_reference, payment.recorded_by) == (1_500_00, "INV-1", sc.lead_user)
    event = AuditEvent.objects.get(action="contracts.subcontractor_payment_recorded")
    assert event.after["amount_pence"] == 1_500_00


def test_marking_an_invoice_paid(sc):
    payment = pay(sc)
    payment = services.mark_paid(actor=sc.lead_staff, payment=payment, paid_on=sc.today)
    assert payment.paid_on == sc.today
    assert AuditEvent.objects.filter(action="contracts.subcontractor_payment_paid").count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.mark_paid(actor=sc.lead_user, payment=payment, paid_on=sc.today)
    assert excinfo.value.messages[0].startswith("This invoice was already recorded as paid on")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount_pence": 0}, "amount_pence", "Enter the amount invoiced, more than £0"),
        ({"amount_pence": -100}, "amount_pence", "Enter the amount invoiced, more than £0"),
        ({"amount_pence": None}, "amount_pence", "Enter the amount invoiced, more than £0"),
        ({"invoiced_on": None}, "invoiced_on", "Enter the date of the invoice"),
        ({"invoiced_on": "tomorrow"}, "invoiced_on", "The date of the invoice must be today or in the past"),
        ({"paid_on": "tomorrow"}, "paid_on", "The date paid must be today or in the past"),
        ({"paid_on": "before"}, "paid_on", "The date paid must be on or after the date of the invoice"),
        (
            {"invoice_reference": "x" * 101},
            "invoice_reference",
            "The invoice reference must be 100 characters or fewer",
        ),
    ],
)
def test_bad_payments_are_refused(sc, changes, field, message):
    changes = dict(changes)
    tomorrow = sc.today + timedelta(days=1)
    for key, value in changes.items():
        if value == "tomorrow":
            changes[key] = tomorrow
        elif value == "before":
            changes[key] = sc.today - timedelta(days=41)
    with pytest.raises(ValidationError) as excinfo:
        pay(sc, **changes)
    assert excinfo.value.message_dict[field] == [message]
    assert not SubcontractorPayment.objects.exists()


def test_mark_paid_refuses_bad_dates(sc):
    payment = pay(sc)
    for day, message in [
        (None, "Enter the date paid"),
        (sc.today + timedelta(days=1), "The date paid must be today or in the past"),
        (sc.today - timedelta(days=41), "The date paid must be on or after the date of the invoice"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            services.mark_paid(actor=sc.lead_user, payment=payment, paid_on=day)
        assert excinfo.value.message_dict["paid_on"] == [message]


def test_only_the_lead_records_payments(sc):
    for actor in (sc.partner_user, sc.commissioner):
        with pytest.raises(ValidationError) as excinfo:
            pay(sc, actor=actor)
        assert excinfo.value.messages == [
            "Only the lead provider's people (Lead Provider Trust) can record payments to its subcontractors"
        ]
    payment = pay(sc)
    with pytest.raises(ValidationError):
        services.mark_paid(actor=sc.partner_user, payment=payment, paid_on=sc.today)


# The measure on hand-built cases -------------------------------------------------------------------------------------

ON = date(2026, 6, 30)  # the day the measure is taken


def make(member, invoiced, paid, amount=100_00):
    return SubcontractorPayment.objects.create(
        member=member, invoiced_on=invoiced, paid_on=paid, amount_pence=amount, recorded_by=member.contract_user
    )


@pytest.fixture
def cases(sc):
    """sc.material: paid after 10, 30 (on time: 30 is not late), 31 and 45 days; one unpaid invoiced 31 days before
    ON (late), one unpaid invoiced 5 days before ON (not due yet). sc.minor: paid after 20 days, one unpaid 60 days."""
    for member in (sc.material, sc.minor):
        member.contract_user = sc.lead_user
    rows = [
        (sc.material, date(2026, 1, 1), date(2026, 1, 11)),  # 10 days
        (sc.material, date(2026, 2, 1), date(2026, 3, 3)),  # 30 days
        (sc.material, date(2026, 3, 1), date(2026, 4, 1)),  # 31 days: late
        (sc.material, date(2026, 4, 1), date(2026, 5, 16)),  # 45 days: late
        (sc.material, date(2026, 5, 30), None),  # 31 days by ON, not paid: late
        (sc.material, date(2026, 6, 25), None),  # 5 days by ON, not paid: not due yet
        (sc.minor, date(2026, 1, 10), date(2026, 1, 30)),  # 20 days
        (sc.minor, date(2026, 5, 1), None),  # 60 days by ON, not paid: late
    ]
    for member, invoiced, paid in rows:
        make(member, invoiced, paid)
    return sc


def test_days_and_late_per_payment(cases):
    payments = services.with_days(SubcontractorPayment.objects.filter(member=cases.material), on=ON).order_by(
        "invoiced_on"
    )
    assert [(services.payment_days(p), p.late, p.paid_on_time) for p in payments] == [
        (10, False, True),
        (30, False, True),
        (31, True, False),
        (45, True, False),
        (31, True, False),
        (5, False, False),
    ]


def test_per_subcontract(cases):
    figures = services.member_timeliness([cases.material, cases.minor], on=ON)
    assert figures[cases.material.pk] == {
        "payments": 6,
        "paid": 4,
        "paid_on_time": 2,
        "late": 3,
        "late_unpaid": 1,
        "not_due": 1,
        "amount": 600_00,
        "median_days": 30.5,  # of 10, 30, 31, 45
        "average_days": 29.0,  # 116 / 4
    }
    assert figures[cases.minor.pk] == {
        "payments": 2,
        "paid": 1,
        "paid_on_time": 1,
        "late": 1,
        "late_unpaid": 1,
        "not_due": 0,
        "amount": 200_00,
        "median_days": 20,
        "average_days": 20.0,
    }


def test_a_subcontract_without_payments(sc):
    assert services.member_timeliness([sc.minor], on=ON)[sc.minor.pk]["payments"] == 0
    assert services.member_timeliness([sc.minor], on=ON)[sc.minor.pk]["median_days"] is None


def test_per_lead_provider(cases, django_assert_max_num_queries):
    from dynamic_framework.contracts.tests.factories import AwardFactory, ContractFactory

    # A second lead provider in the region with one subcontract and no payments; one that left is not counted.
    other = ContractFactory(award=AwardFactory(region=cases.region))
    SupplyChainMember.objects.create(contract=other, organisation=cases.newcomer, joined_on=date(2026, 1, 1))
    SupplyChainMember.objects.create(
        contract=other, organisation=cases.small, joined_on=date(2026, 1, 1), left_on=date(2026, 3, 1)
    )
    with django_assert_max_num_queries(5):
        rows = services.provider_summary(Contract.objects.filter(region=cases.region), on=ON)
    by_lead = {row["organisation"].pk: row for row in rows}
    lead = by_lead[cases.lead.pk]
    assert {k: v for k, v in lead.items() if k != "organisation"} == {
        "contracts": 1,
        "subcontracts": 2,
        "subcontracts_with_payments": 2,
        "payments": 8,
        "paid": 5,
        "due": 7,  # 5 paid + 2 unpaid and more than 30 days since the invoice
        "paid_on_time": 3,  # 10, 30 and 20 days
        "share_on_time": 42.9,  # 3 of 7
        "late": 4,  # 31 and 45 days paid, 31 and 60 days unpaid
        "late_unpaid": 2,
        "median_days": 30,  # of 10, 20, 30, 31, 45
    }
    second = by_lead[other.lead_provider_id]
    assert (second["contracts"], second["subcontracts"], second["payments"], second["share_on_time"]) == (1, 1, 0, None)
    assert second["median_days"] is None
