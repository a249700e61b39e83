import pytest


@pytest.fixture
def refdata(db):
    """All reference data: geography, categories, specialisms and the 14 commissioning bodies."""
    from dynamic_framework.core.services import load_reference_data

    return load_reference_data()


@pytest.fixture
def actor(db):
    from dynamic_framework.accounts.tests.factories import UserFactory

    return UserFactory()
