"""Saving, changing, sharing and withdrawing cost checks, and the commissioners' anonymous aggregate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dynamic_framework.core.models import AuditEvent
from dynamic_framework.payments import services_costs as services
from dynamic_framework.payments.models import CostCheck, CostCheckYear

from .costs_fixtures import years


def save(cw, i=0, share=False, **kwargs):
    kwargs.setdefault("years", years())
    return services.save_check(
        actor=cw.admins[i], organisation=cw.orgs[i], title=f"Durham lot, charity {i}", lot=cw.lot, share=share, **kwargs
    )


def test_saving_from_a_lot_takes_its_region_and_category_and_records_an_event(cw):
    check = save(cw)
    assert check.region == cw.region and check.category == cw.category and check.lot == cw.lot
    assert not check.is_shared
    assert [y.financial_year for y in check.years.all()] == [2026, 2027]
    event = AuditEvent.objects.get(action="payments.cost_check_saved")
    assert event.after["years"][0]["value_pence"] == 60_000_00
    result = services.result_of(check)
    assert result.ramp_up_years == ("2026-27",)
    assert result.years[0].surplus_expected_pence == -40_000_00


def test_bad_figures_save_nothing(cw):
    bad = years()
    bad[1]["expected_people"] = 0
    bad[0]["staff_pence"] = -1
    with pytest.raises(ValidationError) as caught:
        save(cw, years=bad)
    assert "years.1.expected_people" in caught.value.message_dict
    assert "years.0.staff_pence" in caught.value.message_dict
    assert not CostCheck.objects.exists() and not CostCheckYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="payments.").exists()


def test_a_title_is_needed_and_only_members_save(cw):
    with pytest.raises(ValidationError) as caught:
        services.save_check(actor=cw.admins[0], organisation=cw.orgs[0], title=" ", years=years())
    assert "title" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.save_check(actor=cw.admins[1], organisation=cw.orgs[0], title="Not ours", years=years())
    assert not CostCheck.objects.exists()


def test_a_standalone_check_needs_a_category_and_region_only_to_share(cw):
    check = services.save_check(actor=cw.staff, organisation=cw.orgs[0], title="Just trying", years=years())
    assert check.lot is None and check.category is None
    with pytest.raises(ValidationError) as caught:
        services.share_check(actor=cw.staff, check=check)
    assert set(caught.value.message_dict) == {"category", "region"}
    check.refresh_from_db()
    assert not check.is_shared


def test_changing_replaces_every_year(cw):
    check = save(cw)
    changed = services.change_check(
        actor=cw.staff, check=check, title="Durham, revised", years=[{**years()[1], "financial_year": 2028}]
    )
    assert changed.title == "Durham, revised" and changed.updated_by == cw.staff
    assert [y.financial_year for y in changed.years.all()] == [2028]
    assert AuditEvent.objects.get(action="payments.cost_check_changed").before["years"][0]["financial_year"] == 2026


def test_changing_with_bad_figures_keeps_the_old_ones(cw):
    check = save(cw)
    with pytest.raises(ValidationError):
        services.change_check(actor=cw.admins[0], check=check, title="Again", years=years(financial_year=2026))
    check.refresh_from_db()
    assert check.title == "Durham lot, charity 0" and check.years.count() == 2


def test_another_organisation_cannot_change_or_share(cw):
    check = save(cw)
    for service in (services.share_check, services.withdraw_sharing):
        with pytest.raises(PermissionDenied):
            service(actor=cw.admins[1], check=check)
    with pytest.raises(PermissionDenied):
        services.change_check(actor=cw.admins[1], check=check, title="Mine now", years=years())


def test_sharing_and_withdrawing(cw):
    check = save(cw)
    shared = services.share_check(actor=cw.admins[0], check=check)
    assert shared.shared_by == cw.admins[0] and shared.is_shared
    with pytest.raises(ValidationError):
        services.share_check(actor=cw.admins[0], check=check)
    withdrawn = services.withdraw_sharing(actor=cw.staff, check=check)
    assert not withdrawn.is_shared and withdrawn.shared_by is None
    with pytest.raises(ValidationError):
        services.withdraw_sharing(actor=cw.staff, check=check)
    actions = list(AuditEvent.objects.filter(action__startswith="payments.").values_list("action", flat=True))
    assert actions[-2:] == ["payments.cost_check_shared", "payments.cost_check_sharing_withdrawn"]


def test_the_aggregate_is_hidden_below_three_organisations(cw):
    save(cw, 0, share=True)
    save(cw, 1, share=True)
    save(cw, 2, share=False)  # saved but not shared: not counted
    result = services.shared_aggregate(category=cw.category, region=cw.region)
    assert not result.shown and result.organisations == 2 and result.median_cost_per_person_pence is None


def test_the_aggregate_counts_each_organisation_once(cw):
    save(cw, 0, share=True)
    save(cw, 0, share=True, years=years(staff_pence=500_000_00))  # the newer of org 0's checks counts
    save(cw, 1, share=True)
    assert services.shared_aggregate(lot=cw.lot).organisations == 2


def test_the_aggregate_with_three_organisations(cw, django_assert_max_num_queries):
    save(cw, 0, share=True)  # £1,000 a person; 2026-27 breaks even for its contracted people
    save(cw, 1, share=True, years=years(staff_pence=90_000_00))  # £1,200 a person: a shortfall in 2026-27
    save(cw, 2, share=True, years=years(staff_pence=130_000_00))  # £1,600: shortfalls in both years
    with django_assert_max_num_queries(3):
        result = services.shared_aggregate(category=cw.category, region=cw.region)
    assert result.shown and result.organisations == 3
    assert result.median_cost_per_person_pence == 1_200_00
    assert (result.lowest_cost_per_person_pence, result.highest_cost_per_person_pence) == (1_000_00, 1_600_00)
    assert [(y.label, y.shortfalls, y.ramp_ups) for y in result.years] == [("2026-27", 2, 3), ("2027-28", 1, 0)]
    assert [y.shortfalls_expected for y in result.years] == [3, 1]  # the 40 extra people in 2026-27 are unpaid
    assert services.shared_aggregate(lot=cw.lot).organisations == 3


def test_the_aggregate_needs_a_category_and_region_or_a_lot(cw):
    with pytest.raises(ValidationError):
        services.shared_aggregate(category=cw.category)


def test_the_database_refuses_figures_the_service_would(cw):
    from django.db import IntegrityError, transaction

    check = save(cw)
    with pytest.raises(IntegrityError), transaction.atomic():
        CostCheckYear.objects.filter(cost_check=check, financial_year=2026).update(contracted_people=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CostCheck.objects.filter(pk=check.pk).update(shared_by=cw.admins[0])
