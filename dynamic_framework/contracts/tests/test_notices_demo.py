"""The notices demo (core/demo_contracts_notices.py) on the imported contracts: made through the services, once."""

import pytest

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import notices
from dynamic_framework.contracts.models import Notice, NoticeDelivery
from dynamic_framework.core.demo_contracts_notices import load_notices_demo
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_notices_are_made_once(imported):
    user_with_role(
        Role.COMMISSIONER, regions=[Region.objects.get(code="A")], email="commissioner.northeast@example.org"
    )
    st_giles = Organisation.objects.get(contracts_led__reference="PRJ_7647")
    user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=st_giles, email="lead.provider@example.org")
    lines = load_notices_demo()
    assert len(lines) == 3
    cascade = Notice.objects.get(title="Referrals for custody services move to the new form")
    assert cascade.cascade_required and cascade.public
    lead_copy = cascade.deliveries.get(contract__reference="PRJ_7647", forwarded_from__isnull=True)
    assert lead_copy.acknowledged_at is not None and lead_copy.forwards.count() >= 1
    assert Notice.objects.get(title="Safeguarding referrals over the winter holidays").public
    assert not Notice.objects.get(title="A change to your contract's reporting dates").public
    assert notices.cascade_measure().overall.notices == 1
    counts = Notice.objects.count(), NoticeDelivery.objects.count()
    assert load_notices_demo() == []
    assert (Notice.objects.count(), NoticeDelivery.objects.count()) == counts
