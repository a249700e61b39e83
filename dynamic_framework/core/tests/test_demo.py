import pytest

from dynamic_framework.accounts.models import Role, RoleGrant, User
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.demo import DEMO_PASSWORD, USERS, load_demo_data
from dynamic_framework.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_user_for_every_role_and_loads_once(reference_data):
    first = load_demo_data()
    assert first == {"organisations": 6, "users": len(USERS), "roles": len(USERS)}
    assert load_demo_data() == {"organisations": 0, "users": 0, "roles": 0}
    roles = set(RoleGrant.objects.filter(revoked_at__isnull=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    for demo in USERS:
        assert User.objects.get(email=demo.email).check_password(DEMO_PASSWORD)
    assert verify_chain().ok


def test_demo_organisations_cover_sizes_and_sectors(reference_data):
    from dynamic_framework.organisations.classification import sector_for, size_band_for

    load_demo_data()
    demo = Organisation.objects.filter(name__endswith="(demo)")
    sectors = {sector_for(o.legal_form, o.sector_override) for o in demo}
    bands = {size_band_for(o.latest_income_pence) for o in demo}
    assert {"voluntary_and_community", "private"} <= sectors
    assert len(bands) >= 4


def test_demo_users_can_sign_in(client, reference_data):
    load_demo_data()
    response = client.post("/sign-in/", {"username": "commissioner.wales@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Rhys Morgan" in client.get("/account/").content.decode()
