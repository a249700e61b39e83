"""Email subjects are plain text: an organisation's name with an apostrophe or an ampersand arrives as typed, not
as an HTML entity (the subject templates, like the bodies, turn autoescaping off)."""

import pytest

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db

NAME = "Hillside Women's Circle & Friends"


def test_subjects_keep_the_organisation_name_as_typed(reference_data, mailoutbox, django_capture_on_commit_callbacks):
    org = ProviderFactory(name=NAME)
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=org))
    assessor = user_with_role("evaluator")
    with django_capture_on_commit_callbacks(execute=True):
        application = q.assigned_application(org, admin, assessor)
        services.assess_section(
            actor=assessor, application=application, section_key="insurance", outcome="clarification", note="When?"
        )
    clarification = application.clarifications.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_clarification(actor=admin, clarification=clarification, answer="Next month.")
    subjects = {message.subject for message in mailoutbox}
    assert f"Application to assess: {application.reference} ({NAME})" in subjects
    assert f"Question answered: {application.reference} ({NAME})" in subjects
    assert not any("&#" in subject or "&amp;" in subject for subject in subjects), subjects
