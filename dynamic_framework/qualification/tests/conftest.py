import pytest

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.organisations.tests.factories import ProviderFactory


@pytest.fixture
def framework(reference_data):
    from dynamic_framework.qualification.tests.factories import the_framework

    return the_framework()


@pytest.fixture
def charity(reference_data):
    return ProviderFactory(
        name="Riverside Women's Group", slug="riverside-womens-group", latest_income_pence=None, income_year=""
    )


@pytest.fixture
def applicant(charity):
    from dynamic_framework.qualification.tests.factories import confirm_email

    return confirm_email(user_with_role("provider_administrator", organisation=charity, email="jo@riverside.example"))


@pytest.fixture
def staff(charity):
    return user_with_role("provider_staff", organisation=charity, email="sam@riverside.example")


@pytest.fixture
def assessor(reference_data):
    return user_with_role("evaluator", email="assessor@example.org")


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="manager@example.org")
