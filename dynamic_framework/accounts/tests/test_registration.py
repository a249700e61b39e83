"""Registering a provider organisation: the service (all or nothing, audited), the number rules, and the page."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Role, RoleGrant, User
from dynamic_framework.accounts.tests.factories import UserFactory, provider_organisation, user_with_role
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations import identifiers
from dynamic_framework.organisations.models import Organisation, OrganisationAlias, OrganisationIdentifier

GOOD_PASSWORD = "purple elephants dance slowly"


def registration(**changes) -> dict:
    return {
        "full_name": "Mo Rahman",
        "email": "mo@littlehelp.example.org",
        "password": GOOD_PASSWORD,
        "organisation_name": "Little Help Project",
        "legal_form": "registered_charity",
        "identifier": "1199999",
        "allowed_to_act": True,
        **changes,
    }


def form_data(**changes) -> dict:
    data = {**registration(), "allowed_to_act": "on", **changes}
    return {k: v for k, v in data.items() if v is not None}


def counts() -> dict:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "identifiers": OrganisationIdentifier.objects.count(),
        "grants": RoleGrant.objects.count(),
        "events": AuditEvent.objects.count(),
        "emails": len(mail.outbox),
    }


def html(response) -> str:
    return response.content.decode()


# The service ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_provider_creates_the_account_organisation_and_administrator_role():
    user = services.register_provider(**registration(email=" Mo@LittleHelp.example.org "))

    assert user.email == "mo@littlehelp.example.org"
    assert user.full_name == "Mo Rahman"
    assert user.check_password(GOOD_PASSWORD)
    assert not user.has_confirmed_email and user.email_confirmation_sent_at is not None
    org = Organisation.objects.get(name="Little Help Project")
    assert org.kind == Organisation.Kind.PROVIDER
    assert org.legal_form == "registered_charity"
    assert not org.is_verified
    assert [i.org_id for i in org.identifiers.all()] == ["GB-CHC-1199999"]
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.organisation, grant.granted_by, grant.is_active) == (
        Role.PROVIDER_ADMINISTRATOR,
        org,
        None,
        True,
    )


@pytest.mark.django_db
def test_register_provider_writes_audit_events_and_sends_the_confirmation_email(settings):
    settings.SITE_URL = "https://df.example.org"
    user = services.register_provider(**registration())
    org = Organisation.objects.get(name="Little Help Project")

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "accounts.user_created",
        "organisations.organisation_created",
        "accounts.role_granted",
        "accounts.provider_registered",
        "accounts.email_confirmation_sent",
    ]
    registered = AuditEvent.objects.get(action="accounts.provider_registered")
    assert registered.actor == user
    assert registered.object_id == str(org.pk)
    assert registered.after["user_id"] == user.pk and registered.after["allowed_to_act"] is True
    assert AuditEvent.objects.get(action="organisations.organisation_created").actor == user
    # The password never reaches the audit log.
    assert GOOD_PASSWORD not in " ".join(f"{e.before} {e.after}" for e in AuditEvent.objects.all())
    assert verify_chain().ok

    [message] = mail.outbox
    assert message.to == ["mo@littlehelp.example.org"]
    assert message.subject == "Confirm your email address for the Dynamic Framework"
    assert "Hello Mo Rahman," in message.body
    assert re.search(r"https://df\.example\.org/confirm-email/[^/\s]+/", message.body)
    assert "3 days" in message.body


@pytest.mark.django_db
def test_register_provider_when_they_are_not_sure_of_the_legal_form_or_number():
    services.register_provider(**registration(legal_form="", identifier=""))
    org = Organisation.objects.get(name="Little Help Project")
    assert org.legal_form == ""
    assert not org.identifiers.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["Little Help Project", "little help project", "  LITTLE   help Project ", "Little Help Project\u00a0"],
)
def test_an_organisation_already_registered_is_not_registered_again(typed):
    existing = provider_organisation(name="Little Help Project", slug="little-help-project")
    admin = user_with_role(
        Role.PROVIDER_ADMINISTRATOR, organisation=existing, email="secret.admin@example.org", full_name="Hidden Admin"
    )
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(organisation_name=typed))
    [message] = exc.value.message_dict["organisation_name"]
    assert message == "Little Help Project is already registered. Ask your organisation's administrator to invite you"
    assert admin.email not in message and admin.full_name not in message
    assert counts() == before


@pytest.mark.django_db
def test_an_organisation_is_found_by_its_other_names_and_curly_apostrophes():
    existing = provider_organisation(name="St Mary's Trust", slug="st-marys-trust")
    OrganisationAlias.objects.create(organisation=existing, name="SMT Recovery")
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(organisation_name="St Mary\u2019s Trust"))
    assert "St Mary's Trust is already registered" in exc.value.message_dict["organisation_name"][0]
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(organisation_name="smt recovery"))
    assert exc.value.message_dict["organisation_name"] == [
        "smt recovery is already registered, as St Mary's Trust. Ask your organisation's administrator to invite you"
    ]


@pytest.mark.django_db
def test_a_number_already_registered_points_to_its_organisation():
    existing = provider_organisation(name="Old Name Charity", slug="old-name-charity")
    OrganisationIdentifier.objects.create(organisation=existing, scheme="GB-CHC", identifier="1199999")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(identifier="1199 999"))
    assert exc.value.message_dict["identifier"] == [
        "GB-CHC-1199999 is already registered, for Old Name Charity. Ask your organisation's administrator to "
        "invite you"
    ]
    assert counts() == before


@pytest.mark.django_db
def test_an_email_address_with_an_account_is_refused():
    UserFactory(email="mo@littlehelp.example.org")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(email="MO@littlehelp.example.org"))
    [error] = exc.value.error_dict["email"]
    assert error.code == "account_exists"
    assert exc.value.message_dict["email"] == [
        "There is already an account with this email address. Sign in, or reset your password"
    ]
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter a password"),
        ("short pass", "This password is too short"),
        ("123456789012345", "This password is entirely numeric"),
        ("password12345", "This password is too common"),
        ("mo@littlehelp.example.org", "too similar"),
    ],
)
def test_a_password_the_validators_refuse_is_refused(password, message):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(password=password))
    assert set(exc.value.message_dict) == {"password"}
    assert message in " ".join(exc.value.message_dict["password"])
    assert counts() == before


@pytest.mark.django_db
def test_every_problem_is_reported_at_once():
    provider_organisation(name="Taken Trust", slug="taken-trust")
    UserFactory(email="taken@example.org")
    with pytest.raises(ValidationError) as exc:
        services.register_provider(
            full_name=" ",
            email="taken@example.org",
            password="short",
            organisation_name="taken trust",
            legal_form="a_kind_we_do_not_have",
            identifier="not a number",
            allowed_to_act=False,
        )
    assert set(exc.value.message_dict) == {
        "full_name",
        "email",
        "password",
        "organisation_name",
        "legal_form",
        "identifier",
        "allowed_to_act",
    }
    assert User.objects.count() == 1 and Organisation.objects.count() == 1


@pytest.mark.django_db
def test_registration_needs_the_confirmation_that_they_may_act_for_the_organisation():
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration(allowed_to_act=False))
    assert exc.value.message_dict == {"allowed_to_act": ["Confirm that you are allowed to act for your organisation"]}
    assert not User.objects.exists()


def _fail(*args, **kwargs):
    raise ValidationError("Something went wrong")


def _crash(*args, **kwargs):
    raise RuntimeError("the database went away")


class _FailingTask:
    def __init__(self, failure):
        self.enqueue = failure


STEPS = {
    "creating the organisation": lambda f: ("dynamic_framework.organisations.services.create_organisation", f),
    "granting the role": lambda f: ("dynamic_framework.accounts.services._create_grant", f),
    "recording the email": lambda f: ("dynamic_framework.accounts.services._queue_email_confirmation", f),
    "queueing the email": lambda f: (
        "dynamic_framework.accounts.services.send_email_confirmation_email",
        _FailingTask(f),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("failure", [_fail, _crash], ids=["validation error", "crash"])
def test_nothing_partial_is_saved_when_any_step_fails(monkeypatch, step, failure):
    monkeypatch.setattr(*STEPS[step](failure))
    before = counts()
    with pytest.raises((ValidationError, RuntimeError)):
        services.register_provider(**registration())
    assert counts() == before
    assert not User.objects.filter(email="mo@littlehelp.example.org").exists()


@pytest.mark.django_db
def test_nothing_is_saved_when_the_last_audit_event_fails(monkeypatch):
    from dynamic_framework.core import audit

    real_record = audit.record

    def record(**kwargs):
        if kwargs["action"] == "accounts.email_confirmation_sent":
            raise RuntimeError("audit log unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(audit, "record", record)
    before = counts()
    with pytest.raises(RuntimeError):
        services.register_provider(**registration())
    assert counts() == before


@pytest.mark.django_db
def test_an_organisation_registered_meanwhile_undoes_the_whole_registration(monkeypatch):
    # Someone registers the same name between the checks and the writes: the organisations service refuses
    # it, and the account made a moment before is undone too.
    provider_organisation(name="Little Help Project", slug="little-help-project")
    monkeypatch.setattr(services, "_registered_as", lambda name: None)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.register_provider(**registration())
    assert "There is already an organisation called Little Help Project" in exc.value.message_dict["organisation_name"]
    assert counts() == before


# Charity and company numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "legal_form", "expected"),
    [
        ("1123456", "registered_charity", ("GB-CHC", "1123456")),
        ("112 3456", "charitable_incorporated_organisation", ("GB-CHC", "1123456")),
        ("sc012345", "registered_charity", ("GB-SC", "SC012345")),
        ("NIC100002", "registered_charity", ("GB-NIC", "100002")),
        ("1234567", "private_company", ("GB-COH", "01234567")),
        ("SC123456", "community_interest_company", ("GB-COH", "SC123456")),
        ("31433R", "cooperative_or_community_benefit_society", ("GB-MPR", "31433R")),
        ("01234567", "company_limited_by_guarantee", ("GB-COH", "01234567")),
        ("1123456", "company_limited_by_guarantee", ("GB-CHC", "1123456")),  # a charitable company's charity number
        ("SC123456", "", ("GB-COH", "SC123456")),
        ("1123456", "", ("GB-CHC", "1123456")),
        ("GB-SC-SC012345", "private_company", ("GB-SC", "SC012345")),  # written with its register: that wins
    ],
)
def test_numbers_are_read_for_the_register_the_legal_form_suggests(number, legal_form, expected):
    assert identifiers.from_number(number, legal_form) == expected


@pytest.mark.parametrize(
    ("number", "legal_form", "message"),
    [
        ("12345", "registered_charity", "A charity number in England and Wales is 6 to 8 digits"),
        ("ABC", "private_company", "A company number is 8 digits"),
        ("hello", "", "Enter a charity number, like 1123456, or a company number"),
        ("GB-CHC-12", "", "A charity number in England and Wales is 6 to 8 digits"),
    ],
)
def test_numbers_that_fit_no_register_are_refused_with_a_reason(number, legal_form, message):
    with pytest.raises(ValidationError) as exc:
        identifiers.from_number(number, legal_form)
    assert message in " ".join(exc.value.messages)


# The page ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_start_and_sign_in_pages_link_to_registration(client, reference_data):
    for path in ["/", "/sign-in/"]:
        page = html(client.get(path))
        assert 'href="/register/"' in page and "Create an account for your organisation" in page, path


@pytest.mark.django_db
def test_the_register_page_explains_and_asks(client):
    response = client.get("/register/")
    assert response.status_code == 200
    page = html(response)
    assert "Create an account for your organisation" in page
    assert "It is free" in page and "What happens next" in page
    for label in [
        "Your full name",
        "Your email address",
        "Create a password",
        "At least 12 characters",  # the password rules, as hint text
        "Your organisation&#39;s name",
        "Registered charity",
        "Charitable incorporated organisation (CIO)",
        "I am not sure",
        "Charity or company number (optional)",
        "I am allowed to act for this organisation",
    ]:
        assert label in page, label
    assert 'class="govuk-radios__divider"' in page
    assert 'autocomplete="new-password"' in page


@pytest.mark.django_db
def test_an_empty_form_shows_the_error_summary_and_every_field_error(client):
    response = client.post("/register/", {})
    assert response.status_code == 200
    page = html(response)
    assert page.count('class="govuk-error-summary"') == 1
    assert "<title>Error: " in page
    for anchor, message in [
        ("#id_full_name", "Enter your full name"),
        ("#id_email", "Enter your email address"),
        ("#id_password", "Enter a password"),
        ("#id_organisation_name", "Enter your organisation&#39;s name"),
        ("#id_legal_form", "Choose what kind of organisation it is, or &#39;I am not sure&#39;"),
        ("#id_allowed_to_act", "Confirm that you are allowed to act for your organisation"),
    ]:
        assert f'href="{anchor}"' in page, anchor
        assert page.count(message) >= 2, message  # in the summary and next to the field
    assert not User.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_what_they_typed_is_kept_except_the_password(client):
    response = client.post(
        "/register/",
        form_data(email="not an email", identifier="ABC", legal_form="community_interest_company", allowed_to_act=None),
    )
    page = html(response)
    assert 'value="not an email"' in page
    assert 'value="Mo Rahman"' in page
    assert 'value="Little Help Project"' in page
    assert 'value="ABC"' in page
    assert re.search(r'value="community_interest_company"\s+checked', page)
    assert GOOD_PASSWORD not in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    # The service's checks of the fields that were filled in are shown too, with the form's own errors.
    assert "A company number is 8 digits" in page
    assert "Confirm that you are allowed to act for your organisation" in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_page_says_plainly_that_an_organisation_is_already_registered(client):
    existing = provider_organisation(name="Little Help Project", slug="little-help-project")
    admin = user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=existing, email="secret.admin@example.org")
    page = html(client.post("/register/", form_data(allowed_to_act=None)))
    assert "Little Help Project is already registered" in page
    assert "Each organisation is registered once" in page
    assert "Confirm that you are allowed to act" in page  # with the form's own error
    assert admin.email not in page and admin.full_name not in page
    assert Organisation.objects.count() == 1 and User.objects.count() == 1


@pytest.mark.django_db
def test_the_page_says_an_account_exists_and_links_to_sign_in_and_password_reset(client):
    UserFactory(email="mo@littlehelp.example.org")
    page = html(client.post("/register/", form_data()))
    assert "There is already an account with this email address" in page
    assert 'href="/sign-in/"' in page and 'href="/password-reset/"' in page
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_registering_signs_you_in_and_shows_your_account(client):
    response = client.post("/register/", form_data(legal_form="not_sure", identifier=""))
    assert response.status_code == 302 and response.url == "/account/"
    user = User.objects.get(email="mo@littlehelp.example.org")
    assert int(client.session["_auth_user_id"]) == user.pk
    page = html(client.get("/account/"))
    assert "Your account has been created and Little Help Project is registered." in page
    assert "Confirm your email address" in page
    assert "We have sent a link to mo@littlehelp.example.org" in page
    assert "Send the link again" in page
    assert "Provider administrator" in page and "Little Help Project" in page
    assert Organisation.objects.get(name="Little Help Project").legal_form == ""
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_signed_in_people_are_sent_to_their_account(client, plain_user):
    client.force_login(plain_user)
    response = client.get("/register/")
    assert response.status_code == 302 and response.url == "/account/"
    response = client.post("/register/", form_data())
    assert response.status_code == 302 and response.url == "/account/"
    assert not Organisation.objects.exists()
    assert "You already have an account" in html(client.get("/account/"))
