"""Every service writes exactly one audit event, and nothing at all when its checks fail."""

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations import services
from dynamic_framework.organisations.models import Organisation, OrganisationAlias, OrganisationIdentifier
from dynamic_framework.organisations.tests.factories import OrganisationAliasFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def count_events():
    start = AuditEvent.objects.count()
    return lambda: AuditEvent.objects.count() - start


def _messages(exc, field):
    return " ".join(exc.value.message_dict[field])


def test_create_organisation_with_everything(refdata, actor, count_events):
    org = services.create_organisation(
        actor=actor,
        name="  Second   Chance Trust ",
        legal_form="charitable_incorporated_organisation",
        latest_income_pence=4_500_000,
        income_year="2023-24",
        specialisms=["womens-organisation"],
        pcc_areas_served=["durham", "cleveland"],
        aliases=["SCT"],
        identifiers=["GB-CHC-1123456", ("GB-COH", "1234567")],
        website="https://www.example.org.uk",
        contact_email="hello@example.org.uk",
        contact_phone="01632 960 001",
    )
    assert org.name == "Second Chance Trust"
    assert org.slug == "second-chance-trust"
    assert org.sector == "voluntary_and_community"
    assert org.size_band == "small"
    assert sorted(org.pcc_areas_served.values_list("slug", flat=True)) == ["cleveland", "durham"]
    assert sorted(i.org_id for i in org.identifiers.all()) == ["GB-CHC-1123456", "GB-COH-01234567"]
    assert count_events() == 1
    event = AuditEvent.objects.last()
    assert event.action == "organisations.organisation_created"
    assert event.actor == actor
    assert event.after["aliases"] == ["SCT"]
    assert event.object_id == str(org.pk)


def test_slugs_are_unique():
    OrganisationFactory(name="Other", slug="new-leaf")
    org = services.create_organisation(actor="system", name="New Leaf")
    assert org.slug == "new-leaf-2"


def test_create_checks_everything_and_stores_nothing(refdata, actor, count_events):
    OrganisationAliasFactory(name="Taken Name")
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(
            actor=actor,
            name="taken name",
            legal_form="sole_trader",
            latest_income_pence=-5,
            website="not a website",
            contact_email="nobody",
            contact_phone="call me",
            specialisms=["nonsense"],
            identifiers=["GB-CHC-12"],
        )
    errors = exc.value.message_dict
    assert set(errors) >= {
        "name",
        "legal_form",
        "latest_income_pence",
        "income_year",
        "website",
        "contact_email",
        "contact_phone",
        "specialisms",
        "identifiers",
    }
    assert "already another name of" in _messages(exc, "name")
    assert Organisation.objects.count() == before
    assert count_events() == 0


def test_income_and_year_go_together():
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="A", latest_income_pence=100)
    assert "financial year" in _messages(exc, "income_year")
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="A", income_year="2023-24")
    assert "Enter the income" in _messages(exc, "latest_income_pence")
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="A", latest_income_pence=1, income_year="2023-25")
    assert "like 2023-24" in _messages(exc, "income_year")
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="A", latest_income_pence=1, income_year="2999-00")
    assert "future" in _messages(exc, "income_year")


def test_update_records_before_and_after_of_what_changed(refdata, actor, count_events):
    org = OrganisationFactory(name="Old Name", latest_income_pence=500_000, income_year="2022-23")
    services.update_organisation(
        actor=actor,
        organisation=org,
        name="New Name",
        latest_income_pence=50_000_000,
        income_year="2023-24",
        aliases=["Old Name"],
        pcc_areas_served=list(PccArea.objects.filter(slug="kent")),
    )
    org.refresh_from_db()
    assert org.name == "New Name"
    assert org.size_band == "medium"
    assert list(org.aliases.values_list("name", flat=True)) == ["Old Name"]
    assert count_events() == 1
    event = AuditEvent.objects.last()
    assert event.action == "organisations.organisation_updated"
    assert event.before == {
        "name": "Old Name",
        "latest_income_pence": 500_000,
        "income_year": "2022-23",
        "aliases": [],
        "pcc_areas_served": [],
    }
    assert event.after["name"] == "New Name"
    assert event.after["pcc_areas_served"] == ["kent"]


def test_update_with_no_change_records_nothing(actor, count_events):
    org = OrganisationFactory(name="Same")
    services.update_organisation(actor=actor, organisation=org, name="Same")
    assert count_events() == 0


def test_update_failure_changes_nothing(actor, count_events):
    org = OrganisationFactory(name="Keep Me", website="https://keep.example")
    OrganisationIdentifier.objects.create(organisation=OrganisationFactory(), scheme="GB-CHC", identifier="1123456")
    with pytest.raises(ValidationError) as exc:
        services.update_organisation(
            actor=actor,
            organisation=org,
            name="Changed",
            website="https://changed.example",
            aliases=["Fine alias", "fine ALIAS"],
            identifiers=["GB-CHC-1123456"],
        )
    assert "listed twice" in _messages(exc, "aliases")
    assert "already recorded for" in _messages(exc, "identifiers")
    org.refresh_from_db()
    assert (org.name, org.website) == ("Keep Me", "https://keep.example")
    assert not org.aliases.exists()
    assert count_events() == 0


def test_update_refuses_unknown_fields(actor):
    with pytest.raises(TypeError):
        services.update_organisation(actor=actor, organisation=OrganisationFactory(), verified_at=None)


def test_alias_cannot_be_its_own_name_or_another_organisations_name(actor, count_events):
    org = OrganisationFactory(name="Alpha")
    OrganisationFactory(name="Beta")
    with pytest.raises(ValidationError, match="already the organisation's name"):
        services.add_alias(actor=actor, organisation=org, name="ALPHA")
    with pytest.raises(ValidationError, match="already a name of Beta"):
        services.add_alias(actor=actor, organisation=org, name="beta")
    assert count_events() == 0


def test_add_and_remove_alias(actor, count_events):
    org = OrganisationFactory()
    services.add_alias(actor=actor, organisation=org, name="Trading Name")
    assert count_events() == 1
    assert AuditEvent.objects.last().action == "organisations.alias_added"
    with pytest.raises(ValidationError):
        services.add_alias(actor=actor, organisation=org, name="trading name")
    services.remove_alias(actor=actor, organisation=org, name="Trading Name")
    assert count_events() == 2
    assert AuditEvent.objects.last().before == {"alias": "Trading Name"}
    assert not OrganisationAlias.objects.exists()
    with pytest.raises(ValidationError):
        services.remove_alias(actor=actor, organisation=org, name="Trading Name")
    assert count_events() == 2


def test_add_and_remove_identifier(actor, count_events):
    org = OrganisationFactory()
    ident = services.add_identifier(actor=actor, organisation=org, scheme="GB-NIC", identifier="NIC100002")
    assert ident.org_id == "GB-NIC-100002"
    assert count_events() == 1
    with pytest.raises(ValidationError):
        services.add_identifier(actor=actor, organisation=OrganisationFactory(), scheme="GB-NIC", identifier="100002")
    with pytest.raises(ValidationError):
        services.add_identifier(actor=actor, organisation=org, scheme="GB-SC", identifier="12")
    assert count_events() == 1
    services.remove_identifier(actor=actor, organisation=org, scheme="GB-NIC", identifier="100002")
    assert count_events() == 2
    assert AuditEvent.objects.last().before == {"identifier": "GB-NIC-100002"}
    with pytest.raises(ValidationError):
        services.remove_identifier(actor=actor, organisation=org, scheme="GB-NIC", identifier="100002")


def test_sector_override_needs_a_reason_and_is_recorded(actor, count_events):
    org = OrganisationFactory(legal_form="company_limited_by_guarantee")
    with pytest.raises(ValidationError) as exc:
        services.set_sector_override(actor=actor, organisation=org, sector="private", reason="  ")
    assert "sector_override_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.set_sector_override(actor=actor, organisation=org, sector="charity", reason="x")
    assert count_events() == 0
    services.set_sector_override(actor=actor, organisation=org, sector="private", reason="Owned by Acme plc")
    org.refresh_from_db()
    assert org.sector == "private"
    assert count_events() == 1
    event = AuditEvent.objects.last()
    assert event.action == "organisations.sector_override_set"
    assert event.before["sector"] == "voluntary_and_community"
    assert event.after["sector"] == "private"
    services.set_sector_override(actor=actor, organisation=org, sector="", reason="ignored")
    org.refresh_from_db()
    assert (org.sector_override, org.sector_override_reason, org.sector) == ("", "", "voluntary_and_community")
    assert count_events() == 2
    assert AuditEvent.objects.last().action == "organisations.sector_override_removed"


def test_mark_verified(actor, count_events):
    org = OrganisationFactory()
    assert not org.is_verified
    services.mark_verified(actor=actor, organisation=org)
    org.refresh_from_db()
    assert org.is_verified
    assert count_events() == 1
    assert AuditEvent.objects.last().before == {"verified_at": None}


def test_commissioning_body_structure_is_checked(refdata):
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="Odd", kind="provider", commissioning_body_type="other")
    assert "commissioning_body_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor="system", name="Odd", kind="commissioning_body")
    assert "commissioning_body_type" in exc.value.message_dict
    from dynamic_framework.geography.models import Region

    with pytest.raises(ValidationError) as exc:
        services.create_organisation(
            actor="system",
            name="Odd",
            kind="commissioning_body",
            commissioning_body_type="police_and_crime_commissioner",
            region=Region.objects.get(code="A"),
            pcc_area=PccArea.objects.get(slug="kent"),
        )
    assert "is not in" in _messages(exc, "pcc_area")
    pcc = services.create_organisation(
        actor="system",
        name="Police and Crime Commissioner for Kent",
        kind="commissioning_body",
        commissioning_body_type="police_and_crime_commissioner",
        pcc_area=PccArea.objects.get(slug="kent"),
        legal_form="public_body",
    )
    assert pcc.sector == "public"


def test_declared_size_band_source_notes_and_hmpps_code(actor, count_events):
    org = services.create_organisation(
        actor=actor,
        name="National Rehab Charity",
        legal_form="registered_charity",
        declared_size_band="major",
        classification_source="registered charity; accounts show income of tens of millions",
        hmpps_provider_code="NATIONAL_REHAB",
    )
    assert org.size_band == "major" and org.size_band_is_declared
    assert AuditEvent.objects.last().after["declared_size_band"] == "major"
    # A recorded income wins over the declared band.
    org = services.update_organisation(
        actor=actor, organisation=org, latest_income_pence=50_000_000, income_year="2023-24"
    )
    assert org.size_band == "medium" and not org.size_band_is_declared
    assert count_events() == 2

    with pytest.raises(ValidationError) as exc:
        services.create_organisation(
            actor=actor, name="Other", declared_size_band="huge", hmpps_provider_code="bad code"
        )
    assert "size band" in _messages(exc, "declared_size_band")
    assert "capital letters" in _messages(exc, "hmpps_provider_code")
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor=actor, name="Other", hmpps_provider_code="NATIONAL_REHAB")
    assert "National Rehab Charity" in _messages(exc, "hmpps_provider_code")
    assert count_events() == 2
