import pytest

from dynamic_framework.core.models import AuditEvent
from dynamic_framework.core.reference_data import ReferenceDataError
from dynamic_framework.core.services import load_reference_data
from dynamic_framework.organisations import loaders
from dynamic_framework.organisations.models import Organisation, Specialism
from dynamic_framework.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "slug,name,commissioning_body_type,region_code,pcc_area_slug,legal_form,aliases,website\n"
GOOD_ROW = "body-one,Body One,other,A,,public_body,,\n"


def test_commissioning_bodies_are_loaded(refdata):
    bodies = Organisation.objects.filter(kind="commissioning_body")
    assert bodies.filter(commissioning_body_type="hmpps_region").count() == 12
    assert sorted(bodies.filter(commissioning_body_type="hmpps_region").values_list("region__code", flat=True)) == list(
        "ABCDEFGHIJKL"
    )
    gmca = bodies.get(slug="greater-manchester-combined-authority")
    assert (gmca.commissioning_body_type, gmca.region.code, gmca.pcc_area.slug) == (
        "combined_authority",
        "L",
        "greater-manchester",
    )
    mopac = bodies.get(name="Mayor's Office for Policing and Crime")
    assert (mopac.commissioning_body_type, mopac.region.code, mopac.pcc_area.slug) == (
        "mayors_office",
        "J",
        "metropolitan",
    )
    assert list(mopac.aliases.values_list("name", flat=True)) == ["MOPAC"]
    wales = bodies.get(slug="hmpps-wales")
    assert wales.pcc_areas_served.count() == 4
    assert all(b.sector == "public" and b.is_verified for b in bodies)
    assert Specialism.objects.count() == 4


def test_second_load_changes_nothing(refdata):
    events = AuditEvent.objects.count()
    results = {r.name: r for r in load_reference_data()}
    for name in ("specialisms", "commissioning bodies"):
        assert (results[name].created, results[name].updated) == (0, 0), name
    assert results["commissioning bodies"].unchanged == 14
    assert AuditEvent.objects.count() == events


def test_a_changed_body_is_put_back_and_counted_once(refdata):
    body = Organisation.objects.get(slug="hmpps-london")
    body.name = "Wrong"
    body.save()
    body.pcc_areas_served.clear()
    result = loaders.load_commissioning_bodies()
    assert (result.created, result.updated) == (0, 1)
    body.refresh_from_db()
    assert body.name == "HMPPS London probation region"
    assert list(body.pcc_areas_served.values_list("slug", flat=True)) == ["metropolitan"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("body-two,Body Two,other,Z,,public_body,,\n", "unknown region code 'Z'"),
        ("body-two,Body Two,regulator,A,,public_body,,\n", "commissioning_body_type 'regulator'"),
        ("body-two,Body Two,other,A,kent,public_body,,\n", "is not in region 'A'"),
        ("body-two,Body Two,other,A,,sole_trader,,\n", "legal_form 'sole_trader'"),
        ("body-two,,other,A,,public_body,,\n", "name is empty"),
        ("body-one,Body Two,other,A,,public_body,,\n", "duplicate slug 'body-one'"),
        ("body-two,Body Two,other,A,,public_body,BODY ONE,\n", "used twice in this file"),
        ("body-two,Body Two,other,A,,public_body,,http://insecure.example\n", "must start with https://"),
    ],
)
def test_a_bad_row_stops_the_file_with_its_line_and_loads_nothing(refdata, tmp_path, row, reason):
    path = tmp_path / "commissioning_bodies.csv"
    path.write_text(HEADER + GOOD_ROW + row, encoding="utf-8")
    before = Organisation.objects.count()
    with pytest.raises(ReferenceDataError) as exc:
        loaders.load_commissioning_bodies(path)
    assert exc.value.path == path
    assert exc.value.line == 3
    assert reason in exc.value.reason
    assert str(path) in str(exc.value) and "line 3" in str(exc.value)
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(slug="body-one").exists()


def test_a_name_already_used_by_a_provider_is_refused(refdata, tmp_path):
    OrganisationFactory(name="Body One")
    path = tmp_path / "commissioning_bodies.csv"
    path.write_text(HEADER + GOOD_ROW, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="already used by the organisation"):
        loaders.load_commissioning_bodies(path)


def test_bad_specialism_row(db, tmp_path):
    path = tmp_path / "specialisms.csv"
    path.write_text("slug,name,description,position\nok,OK,,1\nbad,Bad,,first\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as exc:
        loaders.load_specialisms(path)
    assert exc.value.line == 3
    assert not Specialism.objects.exists()
