"""The cost check pages: the public check, saving, the saved list and page, editing, sharing, the aggregate."""

import pytest
from django.urls import reverse

from dynamic_framework.payments import services_costs as services
from dynamic_framework.payments.models import CostCheck

from .costs_fixtures import years

CHECK = reverse("payments:cost-check")


def post_data(rows=None, **extra):
    rows = rows if rows is not None else years()
    data = {"rows": str(max(3, len(rows))), "action": "check"}
    for i, row in enumerate(rows):
        data.update(
            {
                f"y{i}-financial_year": str(row["financial_year"]),
                f"y{i}-value": str(row["value_pence"] // 100),
                f"y{i}-contracted_people": str(row["contracted_people"]),
                f"y{i}-expected_people": str(row["expected_people"]),
                f"y{i}-staff": f"{row['staff_pence'] // 100:,}",
                f"y{i}-premises": str(row["premises_pence"] // 100),
                f"y{i}-overheads": str(row["overheads_pence"] // 100),
                f"y{i}-volunteers": str(row["volunteers_pence"] // 100),
            }
        )
    data.update(extra)
    return data


def save(cw, i=0, share=False, **kwargs):
    return services.save_check(
        actor=cw.admins[i],
        organisation=cw.orgs[i],
        title=f"Charity {i} check",
        lot=cw.lot,
        years=kwargs.pop("years", years()),
        share=share,
    )


def test_anyone_can_check_without_signing_in(client, cw):
    page = client.get(CHECK)
    assert page.status_code == 200
    assert "Will this contract pay its way?" in page.content.decode()
    page = client.post(CHECK, post_data())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ramp-up year" in html and "Shortfall £40,000.00" in html
    assert "your costs are more than the value by £20,000.00" in html  # 40,000 short, then 20,000 over
    assert "2026-27, everyone you expect: shortfall £40,000" in html  # the chart
    assert "rounded down to the penny" in html  # the rounding rule is on the page
    assert 'role="img"' in html and 'id="results-table"' in html  # the chart, and its table
    assert "Sign in" in html and "Save this check" not in html
    assert not CostCheck.objects.exists()


def test_starting_from_a_lot_fills_in_its_values_and_volumes(client, cw):
    html = client.get(CHECK, {"lot": cw.lot.pk}).content.decode()
    first = cw.lot.years.order_by("financial_year").first()
    assert f'value="{first.financial_year}"' in html
    assert f'value="{first.max_value_pence // 100}"' in html
    assert f'value="{first.expected_people}"' in html
    assert cw.call_off.reference in html
    assert client.get(CHECK, {"lot": "nope"}).status_code == 404
    assert client.get(CHECK, {"lot": 999999}).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"y0-staff": "-5"}, "y0-staff", "£0 or more"),
        ({"y0-value": "lots"}, "y0-value", "Enter an amount in pounds"),
        ({"y0-contracted_people": "0"}, "y0-contracted_people", "at least 1"),
        ({"y1-expected_people": "many"}, "y1-expected_people", "whole number"),
        ({"y1-financial_year": "1990"}, "y1-financial_year", "from 2000 to 2100"),
        ({"y1-financial_year": "2026"}, "y1-financial_year", "more than once"),
    ],
)
def test_bad_figures_are_shown_in_an_error_summary(client, cw, change, field, message):
    page = client.post(CHECK, post_data(**change))
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html and f'href="#{field}"' in html and message in html
    assert "<title>Error:" in html
    assert 'id="results"' not in html


def test_an_empty_form_and_too_many_years(client, cw):
    html = client.post(CHECK, {"rows": "3", "action": "check"}).content.decode()
    assert "Enter the figures for at least one financial year" in html
    html = client.post(CHECK, {"rows": "10", "action": "add_year"}).content.decode()
    assert 'name="y9-value"' in html and 'name="y10-value"' not in html and "Add another year" not in html


def test_adding_a_year_without_javascript(client, cw):
    html = client.post(CHECK, post_data(action="add_year", **{"y0-staff": "-5"})).content.decode()
    assert 'name="y3-value"' in html and 'id="results"' not in html
    assert 'value="-5"' in html  # what was typed is kept...
    assert "govuk-error-message" not in html  # ...and not checked until asked


def test_blank_years_show_no_errors(client, cw):
    html = client.post(CHECK, post_data(**{"y0-staff": "-5"})).content.decode()  # y2 is blank
    assert html.count("govuk-error-message") == 1


def test_a_member_saves_and_shares_from_the_check_page(client, cw):
    client.force_login(cw.admins[0])
    data = post_data(action="save", lot=str(cw.lot.pk), title="Durham women's lot", share="on")
    data["organisation"] = str(cw.orgs[0].pk)
    data["category"] = str(cw.category.pk)
    response = client.post(CHECK, data)
    saved = CostCheck.objects.get()
    assert response.status_code == 302 and response.url == reverse("payments:cost-check-detail", args=[saved.pk])
    assert saved.is_shared and saved.lot == cw.lot and saved.region == cw.region
    html = client.get(response.url).content.decode()
    assert "Durham women&#39;s lot" in html and "Yes, anonymously" in html


def test_saving_with_bad_figures_saves_nothing(client, cw):
    client.force_login(cw.admins[0])
    data = post_data(action="save", title="Bad", organisation=str(cw.orgs[0].pk), **{"y0-staff": "-1"})
    assert client.post(CHECK, data).status_code == 200
    data = post_data(action="save", title="", organisation=str(cw.orgs[0].pk))
    html = client.post(CHECK, data).content.decode()
    assert "Enter a name for this check" in html
    data = post_data(action="save", title="Share me", organisation=str(cw.orgs[0].pk), share="on")
    html = client.post(CHECK, data).content.decode()  # no lot, no category or region: cannot share
    assert "compare like with like" in html
    assert not CostCheck.objects.exists()


def test_saved_checks_are_private_to_the_organisation(client, cw):
    check = save(cw, 0)
    for user, status in ((cw.staff, 200), (cw.admins[1], 403), (cw.commissioner, 403)):
        client.force_login(user)
        for name in ("payments:cost-check-detail", "payments:cost-check-edit", "payments:cost-check-sharing"):
            assert client.get(reverse(name, args=[check.pk])).status_code == status, (user, name)
    client.force_login(cw.admins[1])
    assert check.title not in client.get(reverse("payments:cost-checks")).content.decode()
    assert client.get(reverse("payments:cost-check-detail", args=[999999])).status_code == 404


def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, cw, django_assert_max_num_queries):
    for _n in range(3):
        save(cw, 0)
    client.force_login(cw.staff)
    client.get(reverse("payments:cost-checks"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("payments:cost-checks")).content.decode()
    for _n in range(25):
        save(cw, 0)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("payments:cost-checks")).content.decode()
    assert html.count("Charity 0 check") == 20 and "Pages of saved checks" in html


def test_editing_a_check(client, cw):
    check = save(cw, 0)
    client.force_login(cw.staff)
    url = reverse("payments:cost-check-edit", args=[check.pk])
    html = client.get(url).content.decode()
    assert 'value="Charity 0 check"' in html and 'value="70000"' in html
    data = post_data(action="save", title="Renamed", category=str(cw.category.pk), **{"y0-staff": "80000"})
    response = client.post(url, data)
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.title == "Renamed" and check.years.get(financial_year=2026).staff_pence == 80_000_00
    html = client.post(url, post_data(action="save", title="Again", **{"y0-value": "-3"})).content.decode()
    assert "£0 or more" in html
    check.refresh_from_db()
    assert check.title == "Renamed"


def test_sharing_and_stopping(client, cw):
    check = save(cw, 0)
    client.force_login(cw.admins[0])
    url = reverse("payments:cost-check-sharing", args=[check.pk])
    html = client.get(url).content.decode()
    assert "never your organisation" in html.lower() and "at least 3 organisations" in html
    assert client.post(url, {"action": "share"}).status_code == 302
    check.refresh_from_db()
    assert check.is_shared
    assert "Stop sharing" in client.get(url).content.decode()
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    check.refresh_from_db()
    assert not check.is_shared
    assert "Choose whether" in client.post(url, {"action": "other"}).content.decode()


def test_commissioners_see_the_aggregate_only_from_three_organisations(client, cw):
    save(cw, 0, share=True)
    save(cw, 1, share=True, years=years(staff_pence=90_000_00))
    client.force_login(cw.commissioner)
    url = reverse("payments:shared-costs")
    params = {"category": cw.category.slug, "region": cw.region.code}
    html = client.get(url, params).content.decode()
    assert "Fewer than 3 organisations" in html and "(2 so far)" in html
    save(cw, 2, share=True, years=years(staff_pence=130_000_00))
    html = client.get(url, params).content.decode()
    assert "£1,200.00" in html and "£1,000.00 to £1,600.00" in html
    for org in cw.orgs:
        assert org.name not in html
    html = client.get(url, {"call_off": cw.call_off.reference}).content.decode()
    assert f"Lot {cw.lot.position}: {cw.lot.name}" in html and "£1,200.00" in html
    assert client.get(url, {"call_off": "NOPE"}).status_code == 404
    html = client.get(url, {"category": "nope", "region": cw.region.code}).content.decode()
    assert "Choose a service category" in html


def test_providers_and_signed_out_people_do_not_see_the_aggregate(client, cw):
    url = reverse("payments:shared-costs")
    assert client.get(url).status_code == 302
    client.force_login(cw.admins[0])
    assert client.get(url).status_code == 403
    client.force_login(cw.manager)
    assert client.get(url).status_code == 200


def test_the_check_and_the_aggregate_are_linked_from_where_they_are_needed(client, cw):
    start_here = f"{CHECK}?lot={cw.lot.pk}"
    assert start_here in client.get(reverse("calloffs:opportunity", args=[cw.call_off.reference])).content.decode()
    aggregate = reverse("payments:shared-costs") + f"?call_off={cw.call_off.reference}"
    client.force_login(cw.commissioner)
    assert aggregate in client.get(reverse("calloffs:lots", args=[cw.call_off.reference])).content.decode()
    draft = cw.calloffs.draft()  # a lot's values are changed while the call-off is a draft
    draft_lot = draft.lots.get()
    lot_page = reverse("calloffs:lot", args=[draft.reference, draft_lot.pk])
    wanted = reverse("payments:shared-costs") + f"?call_off={draft.reference}#lot-{draft_lot.pk}"
    assert wanted in client.get(lot_page).content.decode()
    assert reverse("payments:shared-costs") in client.get(reverse("accounts:your-account")).content.decode()
    client.force_login(cw.staff)
    assert reverse("payments:cost-checks") in client.get(reverse("accounts:your-account")).content.decode()


def test_the_home_page_links_to_the_check(client, db):
    assert CHECK in client.get(reverse("core:start")).content.decode()


def test_the_aggregate_page_has_a_fixed_number_of_queries(client, cw, django_assert_max_num_queries):
    for i in range(3):
        save(cw, i, share=True)
    client.force_login(cw.commissioner)
    url = reverse("payments:shared-costs")
    params = {"call_off": cw.call_off.reference}
    client.get(url, params)
    with django_assert_max_num_queries(16):
        assert client.get(url, params).status_code == 200
    for i in range(3):
        save(cw, i, share=True)  # more checks from the same organisations: no more queries
    with django_assert_max_num_queries(16):
        assert "£1,000.00" in client.get(url, params).content.decode()


def test_a_bad_category_is_refused_in_plain_english(client, cw):
    client.force_login(cw.admins[0])
    data = post_data(action="save", title="Mine", organisation=str(cw.orgs[0].pk), category="999999")
    assert "Choose a service category from the list" in client.post(CHECK, data).content.decode()
    assert not CostCheck.objects.exists()


def test_a_drafts_lots_are_only_for_its_own_commissioners(client, cw):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.geography.models import Region

    draft = cw.calloffs.draft()
    url = reverse("payments:shared-costs")
    client.force_login(cw.commissioner)
    assert client.get(url, {"call_off": draft.reference}).status_code == 200
    client.force_login(user_with_role("commissioner", regions=[Region.objects.get(code="B")]))
    assert client.get(url, {"call_off": draft.reference}).status_code == 404
    assert client.get(url, {"call_off": cw.call_off.reference}).status_code == 200


def test_a_check_without_category_or_region_cannot_be_shared_and_says_why(client, cw):
    check = services.save_check(actor=cw.staff, organisation=cw.orgs[0], title="By hand", years=years())
    client.force_login(cw.staff)
    html = client.post(reverse("payments:cost-check-sharing", args=[check.pk]), {"action": "share"}).content.decode()
    assert "compare like with like" in html and reverse("payments:cost-check-edit", args=[check.pk]) in html
    check.refresh_from_db()
    assert not check.is_shared
