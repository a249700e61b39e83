"""The supply chain pages: what each person sees, the forms' errors and successes, and query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dynamic_framework.contracts import supply_chain as services
from dynamic_framework.contracts.models import SubcontractorPayment, SupplyChainChange, SupplyChainMember
from dynamic_framework.organisations.models import Organisation

from .supply_chain_fixtures import ADD_TERMS


def day_fields(prefix, value):
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}


def chain_url(sc):
    return reverse("contracts:supply-chain", kwargs={"reference": sc.contract.reference})


def kind_url(sc, kind):
    return reverse("contracts:supply-chain-change-kind", kwargs={"reference": sc.contract.reference, "kind": kind})


def payments_url(sc, member):
    return reverse(
        "contracts:supply-chain-payments", kwargs={"reference": sc.contract.reference, "member_pk": member.pk}
    )


# The supply chain page -----------------------------------------------------------------------------------------------


def test_the_lead_sees_every_members_terms_and_can_propose(client, sc, django_assert_max_num_queries):
    client.force_login(sc.lead_user)
    with django_assert_max_num_queries(16):
        response = client.get(chain_url(sc))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Women&#39;s centre key workers" in text and "Peer mentoring" in text
    assert "25% of the value" in text and "£20,000 of the value" in text
    assert "Propose a change to the supply chain" in text


def test_a_subcontractor_sees_only_its_own_terms(client, sc):
    client.force_login(sc.small_user)
    text = client.get(chain_url(sc)).content.decode()
    assert "Peer mentoring" in text and "Women&#39;s centre key workers" not in text
    assert "Propose a change" not in text


def test_others_may_not_see_the_supply_chain(client, sc):
    client.force_login(sc.newcomer_user)
    assert client.get(chain_url(sc)).status_code == 403
    client.force_login(sc.other_commissioner)
    assert client.get(chain_url(sc)).status_code == 403
    client.logout()
    assert client.get(chain_url(sc)).status_code == 302
    client.force_login(sc.commissioner)
    assert client.get("/contracts/NO-SUCH/supply-chain/").status_code == 404


def test_history_shows_members_that_left_and_changes(client, sc):
    services.propose_change(
        actor=sc.lead_user,
        contract=sc.contract,
        kind="remove",
        member=sc.minor,
        effective_on=sc.today,
        reason="It closed.",
    )
    sc.minor.refresh_from_db()
    SupplyChainMember.objects.filter(pk=sc.minor.pk).update(left_on=sc.today - timedelta(days=2), joined_on=sc.start)
    client.force_login(sc.commissioner)
    text = client.get(chain_url(sc)).content.decode()
    assert "Members that have left" in text and "Remove Small Mentoring Charity" in text


# Proposing ---------------------------------------------------------------------------------------------------------


def test_choosing_the_kind(client, sc):
    client.force_login(sc.lead_user)
    url = reverse("contracts:supply-chain-change-new", kwargs={"reference": sc.contract.reference})
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 200 and "Choose what you want to change" in response.content.decode()
    response = client.post(url, {"kind": "remove"})
    assert response.status_code == 302 and response["Location"] == kind_url(sc, "remove")
    client.force_login(sc.small_user)
    assert client.get(url).status_code == 403


def test_an_unknown_kind_is_404(client, sc):
    client.force_login(sc.lead_user)
    assert client.get(kind_url(sc, "merge")).status_code == 404


def test_removing_a_material_member_through_the_page(client, sc):
    client.force_login(sc.lead_user)
    day = sc.today + timedelta(days=30)
    response = client.post(
        kind_url(sc, "remove"),
        {"member": str(sc.material.pk), **day_fields("effective_on", day), "reason": "They are closing the centre."},
    )
    change = SupplyChainChange.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supply-chain-changes/{change.pk}/"
    assert change.needs_approval and change.effective_on == day
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the commissioner" in page and "Withdraw the change" in page


def test_the_form_shows_every_error_in_the_summary(client, sc):
    client.force_login(sc.lead_user)
    response = client.post(kind_url(sc, "add"), {"share_type": "percent", "share_value": "lots"})
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    for message in [
        "Give the name of the organisation joining the supply chain",
        "Enter the share as a percentage, like 25 or 12.5",
        "Choose how the organisation will be paid",
        "Say whether the organisation is a material subcontractor",
        "Enter the date the change takes effect",
        "Say why the supply chain is changing",
    ]:
        assert message in text, message
    assert not SupplyChainChange.objects.exists()


def test_the_services_refusals_show_on_the_form(client, sc):
    client.force_login(sc.lead_user)
    response = client.post(
        kind_url(sc, "add"),
        {
            "organisation_name": "Lead Provider Trust",
            "service": "Housing",
            "share_type": "percent",
            "share_value": "80",
            "payment_terms": "fixed_fee",
            "material": "no",
            **day_fields("effective_on", sc.today - timedelta(days=1)),
            "reason": "Growing.",
        },
    )
    text = response.content.decode()
    assert "The lead provider cannot be a member of its own supply chain" in text
    assert "The date the change takes effect must be today or in the future" in text
    assert "more than 100%" in text


def terms_fields(**overrides):
    fields = {
        "service": "Housing advice",
        "share_type": "percent",
        "share_value": "10",
        "payment_terms": "fixed_fee",
        "material": "no",
        "reason": "More housing help.",
    }
    fields.update(overrides)
    return fields


def test_adding_an_organisation_found_by_name(client, sc):
    client.force_login(sc.lead_user)
    day = sc.today + timedelta(days=7)
    found = client.post(kind_url(sc, "add"), {"organisation_name": "newcomer", "find": "1", **terms_fields()})
    text = found.content.decode()
    assert "Newcomer Housing" in text and "There is a problem" not in text
    # Typed but not chosen: asked to choose
    response = client.post(
        kind_url(sc, "add"), {"organisation_name": "newcomer", **terms_fields(), **day_fields("effective_on", day)}
    )
    assert "Choose one of the organisations found" in response.content.decode()
    response = client.post(
        kind_url(sc, "add"),
        {
            "organisation_name": "newcomer",
            "organisation": str(sc.newcomer.pk),
            **terms_fields(),
            **day_fields("effective_on", day),
        },
    )
    assert response.status_code == 302
    member = SupplyChainMember.objects.get(organisation=sc.newcomer)
    assert (member.share_value, member.joined_on) == (1000, day)


def test_adding_an_organisation_not_on_the_service(client, sc):
    client.force_login(sc.lead_user)
    day = sc.today + timedelta(days=7)
    response = client.post(
        kind_url(sc, "add"),
        {"organisation_name": "Tiny Community Cafe", **terms_fields(), **day_fields("effective_on", day)},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Tiny Community Cafe")
    assert SupplyChainMember.objects.filter(organisation=org, contract=sc.contract).exists()


def test_nothing_is_created_when_the_change_is_refused(client, sc):
    client.force_login(sc.lead_user)
    response = client.post(
        kind_url(sc, "add"),
        {
            "organisation_name": "Tiny Community Cafe",
            **terms_fields(share_value="90"),
            **day_fields("effective_on", sc.today),
        },
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Tiny Community Cafe").exists()


def test_changing_terms_starts_from_the_current_ones(client, sc):
    client.force_login(sc.lead_user)
    text = client.get(kind_url(sc, "change_terms") + f"?member={sc.minor.pk}").content.decode()
    assert 'value="Peer mentoring"' in text and 'value="20,000"' in text
    response = client.post(
        kind_url(sc, "change_terms"),
        {
            "member": str(sc.minor.pk),
            **terms_fields(service="Peer mentoring", share_type="amount", share_value="25,000"),
            **day_fields("effective_on", sc.today),
        },
    )
    assert response.status_code == 302
    sc.minor.refresh_from_db()
    assert sc.minor.share_value == 25_000_00


# Deciding and withdrawing --------------------------------------------------------------------------------------------


@pytest.fixture
def waiting(sc):
    return services.propose_change(
        actor=sc.lead_user,
        contract=sc.contract,
        kind="remove",
        member=sc.material,
        effective_on=sc.today + timedelta(days=30),
        reason="Closing.",
    )


def test_the_commissioner_decides_on_the_page(client, sc, waiting):
    client.force_login(sc.commissioner)
    url = reverse("contracts:supply-chain-change", kwargs={"pk": waiting.pk})
    assert "Record the decision" in client.get(url).content.decode()
    decide = reverse("contracts:supply-chain-change-decide", kwargs={"pk": waiting.pk})
    response = client.post(decide, {"decision": "refuse"})
    assert response.status_code == 200
    assert "Give your reasons: the lead provider and the subcontractor are told" in response.content.decode()
    response = client.post(decide, {"decision": "approve", "reason": "The women will be supported elsewhere."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.approved
    text = client.get(url).content.decode()
    assert "Agreed" in text and "The women will be supported elsewhere." in text
    response = client.post(decide, {"decision": "approve", "reason": "Again"})
    assert "This change has already been decided" in response.content.decode()


def test_the_member_concerned_sees_the_change_others_do_not(client, sc, waiting):
    url = reverse("contracts:supply-chain-change", kwargs={"pk": waiting.pk})
    client.force_login(sc.partner_user)
    text = client.get(url).content.decode()
    assert "Remove Partner Women&#39;s Centre" in text and "Record the decision" not in text
    client.force_login(sc.small_user)
    assert client.get(url).status_code == 403
    client.force_login(sc.lead_user)
    assert (
        client.post(reverse("contracts:supply-chain-change-decide", kwargs={"pk": waiting.pk}), {}).status_code == 403
    )


def test_the_lead_withdraws_on_the_page(client, sc, waiting):
    client.force_login(sc.lead_user)
    url = reverse("contracts:supply-chain-change-withdraw", kwargs={"pk": waiting.pk})
    response = client.post(url)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.withdrawn_at
    client.post(url)  # again: told why not, on the change's page
    client.force_login(sc.commissioner)
    assert client.post(url).status_code == 403


# Payments --------------------------------------------------------------------------------------------------------


def test_recording_and_marking_payments_on_the_page(client, sc):
    client.force_login(sc.lead_user)
    url = payments_url(sc, sc.material)
    response = client.post(url, {"amount": "0", **day_fields("invoiced_on", sc.today)})
    assert "Enter the amount invoiced, more than £0" in response.content.decode()
    response = client.post(url, {"amount": "10", **day_fields("invoiced_on", sc.today + timedelta(days=1))})
    assert "The date of the invoice must be today or in the past" in response.content.decode()
    response = client.post(
        url,
        {
            "amount": "1,250.50",
            "invoice_reference": "INV-7",
            **day_fields("invoiced_on", sc.today - timedelta(days=45)),
        },
    )
    assert response.status_code == 302
    payment = SubcontractorPayment.objects.get()
    assert payment.amount_pence == 1_250_50 and payment.paid_on is None
    text = client.get(url).content.decode()
    assert "Late" in text and "45 so far" in text
    mark = reverse(
        "contracts:supply-chain-mark-paid",
        kwargs={"reference": sc.contract.reference, "member_pk": sc.material.pk, "payment_pk": payment.pk},
    )
    response = client.post(mark, {f"p{payment.pk}-paid_on_day": "1"})
    assert "The date paid must include a month" in response.content.decode()
    response = client.post(mark, day_fields(f"p{payment.pk}-paid_on", sc.today))
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.paid_on == sc.today


def test_the_subcontractor_sees_its_payments_but_cannot_record(client, sc):
    SubcontractorPayment.objects.create(
        member=sc.minor, invoiced_on=sc.today - timedelta(days=10), amount_pence=100_00, recorded_by=sc.lead_user
    )
    client.force_login(sc.small_user)
    text = client.get(payments_url(sc, sc.minor)).content.decode()
    assert "Not due yet" in text and "Record the payment" not in text
    assert client.post(payments_url(sc, sc.minor), {}).status_code == 403
    assert client.get(payments_url(sc, sc.material)).status_code == 403


def test_payments_of_a_member_of_another_contract_are_404(client, sc):
    from dynamic_framework.contracts.tests.factories import SupplyChainMemberFactory

    client.force_login(sc.lead_user)
    assert client.get(payments_url(sc, SupplyChainMemberFactory())).status_code == 404


# The subcontractor's own view ----------------------------------------------------------------------------------------


def make_places(sc, n):
    from dynamic_framework.contracts.tests.factories import ContractFactory

    for number in range(n):
        contract = ContractFactory(title=f"Contract {number}")
        member = SupplyChainMember.objects.create(
            contract=contract,
            organisation=sc.small,
            service="Mentoring",
            joined_on=date(2025, 1, 1) + timedelta(days=number),
        )
        SubcontractorPayment.objects.create(
            member=member,
            invoiced_on=date(2025, 3, 1),
            paid_on=date(2025, 5, 1),
            amount_pence=10_00,
            recorded_by=sc.lead_user,
        )


def test_your_subcontracts(client, sc, django_assert_max_num_queries):
    services.propose_change(
        actor=sc.lead_user,
        contract=sc.contract,
        kind="change_terms",
        member=sc.minor,
        terms={**ADD_TERMS, "service": "Peer mentoring and groups"},
        effective_on=sc.today,
        reason="More groups.",
    )
    SubcontractorPayment.objects.create(
        member=sc.minor, invoiced_on=sc.today - timedelta(days=50), amount_pence=100_00, recorded_by=sc.lead_user
    )
    make_places(sc, 3)
    client.force_login(sc.small_user)
    with django_assert_max_num_queries(14):
        response = client.get("/your-subcontracts/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Peer mentoring and groups" in text and "Change the terms of Small Mentoring Charity" in text
    assert "Late" in text and "Lead Provider Trust" in text


def test_your_subcontracts_query_count_does_not_grow(client, sc, django_assert_max_num_queries):
    make_places(sc, 25)
    client.force_login(sc.small_user)
    with django_assert_max_num_queries(14):
        response = client.get("/your-subcontracts/?page=2")
    assert response.status_code == 200 and "Showing 21 to 26 of 26" in response.content.decode()


def test_the_lead_providers_own_contracts_are_not_subcontracts(client, sc):
    client.force_login(sc.lead_user)
    text = client.get("/your-subcontracts/").content.decode()
    assert "Your organisation is not in any contract" in text


def test_your_subcontracts_is_for_provider_members(client, sc):
    client.force_login(sc.commissioner)
    assert client.get("/your-subcontracts/").status_code == 403


# The commissioner's summary -----------------------------------------------------------------------------------------


def test_the_per_provider_summary(client, sc, django_assert_max_num_queries):
    SubcontractorPayment.objects.create(
        member=sc.minor,
        invoiced_on=sc.today - timedelta(days=60),
        paid_on=sc.today - timedelta(days=20),
        amount_pence=100_00,
        recorded_by=sc.lead_user,
    )
    client.force_login(sc.commissioner)
    with django_assert_max_num_queries(12):
        response = client.get("/supply-chain-payments/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Lead Provider Trust" in text and "1 late" in text and "40 days" in text


def test_the_summary_is_for_commissioners(client, sc):
    client.force_login(sc.lead_user)
    assert client.get("/supply-chain-payments/").status_code == 403
    client.force_login(sc.other_commissioner)
    text = client.get("/supply-chain-payments/?region=A").content.decode()
    assert "Lead Provider Trust" not in text  # not their region: they see region B's


# The contract page's part ---------------------------------------------------------------------------------------------


def test_contract_page_context(rf, sc, django_assert_max_num_queries):
    from dynamic_framework.contracts.views.supply_chain import contract_page_context

    SubcontractorPayment.objects.create(
        member=sc.minor, invoiced_on=sc.today - timedelta(days=50), amount_pence=100_00, recorded_by=sc.lead_user
    )
    request = rf.get("/")
    request.user = sc.lead_user
    with django_assert_max_num_queries(6):
        panel = contract_page_context(request=request, contract=sc.contract)["supply_chain_panel"]
    assert panel["late"] == 1 and panel["waiting"] == 0 and len(panel["members"]) == 2 and panel["can_propose"]
    request.user = sc.small_user
    panel = contract_page_context(request=request, contract=sc.contract)["supply_chain_panel"]
    assert [m["member"].pk for m in panel["members"]] == [sc.minor.pk] and not panel["can_propose"]
    request.user = sc.newcomer_user
    assert contract_page_context(request=request, contract=sc.contract) == {"supply_chain_panel": None}


def test_the_contract_page_shows_the_supply_chain_part_to_its_parties(client, sc):
    client.force_login(sc.lead_user)
    text = client.get(reverse("contracts:contract", kwargs={"reference": "SC-1"})).content.decode()
    assert "Supply chain terms and payments" in text and "Propose a change to the supply chain" in text
    client.force_login(sc.newcomer_user)
    text = client.get(reverse("contracts:contract", kwargs={"reference": "SC-1"})).content.decode()
    assert "Supply chain terms and payments" not in text


def test_your_account_links_to_the_supply_chain_pages(client, sc):
    client.force_login(sc.small_user)
    assert "/your-subcontracts/" in client.get("/account/").content.decode()
    client.force_login(sc.commissioner)
    assert "/supply-chain-payments/" in client.get("/account/").content.decode()


def test_the_lead_has_links_to_change_each_member(client, sc):
    client.force_login(sc.lead_user)
    text = client.get(chain_url(sc)).content.decode()
    assert f"{kind_url(sc, 'remove')}?member={sc.material.pk}" in text
    page = client.get(f"{kind_url(sc, 'remove')}?member={sc.material.pk}").content.decode()
    assert f'value="{sc.material.pk}" checked' in page
