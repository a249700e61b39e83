"""Framework managers' services: the framework (details, open, close, extensions) and the versions of the questions
(draft, change, publish, discard), with every refusal writing nothing and every change writing an audit event."""

import copy
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import Application, Framework, FrameworkExtension, QuestionSet, add_months
from dynamic_framework.qualification.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(reference_data):
    return factories.the_framework()


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="manager@example.org")


@pytest.fixture
def draft(framework, manager):
    return services.start_new_version(actor=manager, framework=framework)


def provider(name):
    return ProviderFactory(name=name, latest_income_pence=None, income_year="")


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def refused(call, **kwargs):
    """Run a service that must refuse: return its messages, and check that nothing was written to the audit log."""
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert AuditEvent.objects.count() == before
    return " ".join(info.value.messages)


def question_kwargs(**overrides) -> dict:
    fields = {
        "kind": "long_text",
        "label": "How do you support people leaving prison?",
        "hint": "Tell us about the first week.",
        "size_bands": [],
        "when": "",
        "required": True,
        "word_limit": 250,
        "explain_when": "",
        "explain_label": "",
        "options": [],
        "glossary": [],
    }
    fields.update(overrides)
    return fields


# The framework ---------------------------------------------------------------------------------------------------


def test_update_framework_saves_the_details_and_records_what_changed(framework, manager):
    services.update_framework(
        actor=manager,
        framework=framework,
        name="Probation Services Dynamic Framework (2026)",
        purpose=framework.purpose,
        starts_on=framework.starts_on,
        ends_on=date(2027, 7, 1),
        confirmation_interval_months=6,
    )
    framework.refresh_from_db()
    assert framework.name == "Probation Services Dynamic Framework (2026)"
    assert framework.ends_on == date(2027, 7, 1)
    assert framework.confirmation_interval_months == 6
    event = AuditEvent.objects.get(action="qualification.framework_updated")
    assert set(event.after) == {"name", "ends_on", "confirmation_interval_months"}
    assert event.before["ends_on"] == "2027-06-10"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"purpose": ""}, "purpose"),
        ({"ends_on": date(2020, 6, 15)}, "ends_on"),
        ({"confirmation_interval_months": 0}, "confirmation_interval_months"),
        ({"confirmation_interval_months": 37}, "confirmation_interval_months"),
    ],
)
def test_update_framework_refuses_bad_details_and_changes_nothing(framework, manager, changes, field):
    details = {
        "name": framework.name,
        "purpose": framework.purpose,
        "starts_on": framework.starts_on,
        "ends_on": framework.ends_on,
        "confirmation_interval_months": framework.confirmation_interval_months,
        **changes,
    }
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.update_framework(actor=manager, framework=framework, **details)
    assert field in info.value.error_dict
    assert AuditEvent.objects.count() == before
    stored = Framework.objects.get(pk=framework.pk)
    assert (stored.name, stored.ends_on, stored.confirmation_interval_months) == (
        framework.name,
        framework.ends_on,
        framework.confirmation_interval_months,
    )


def test_update_framework_refuses_the_name_of_another_framework(framework, manager):
    Framework.objects.create(
        slug="other", name="Another framework", purpose="x", starts_on=date(2025, 1, 1), ends_on=date(2030, 1, 1)
    )
    message = refused(
        services.update_framework,
        actor=manager,
        framework=framework,
        name="another FRAMEWORK",
        purpose=framework.purpose,
        starts_on=framework.starts_on,
        ends_on=framework.ends_on,
        confirmation_interval_months=12,
    )
    assert "already a framework with this name" in message


def test_opening_an_open_framework_is_refused(framework, manager):
    assert framework.is_open
    assert "already open" in refused(services.open_framework, actor=manager, framework=framework)


def test_close_needs_a_reason_then_closes_and_reopens(framework, manager):
    assert "Say why" in refused(services.close_framework, actor=manager, framework=framework, reason="  ")
    services.close_framework(actor=manager, framework=framework, reason="We are reviewing the questions.")
    framework.refresh_from_db()
    assert framework.status == Framework.Status.CLOSED
    assert framework.closed_by == manager and framework.closed_reason == "We are reviewing the questions."
    assert "not open" in refused(services.close_framework, actor=manager, framework=framework, reason="Again")
    opened_at = framework.opened_at
    services.open_framework(actor=manager, framework=framework)
    framework.refresh_from_db()
    assert framework.is_open and framework.closed_at is None and framework.closed_reason == ""
    assert framework.opened_at == opened_at  # reopening keeps the first opening
    assert actions()[-2:] == ["qualification.framework_closed", "qualification.framework_opened"]


def test_a_framework_not_opened_yet_opens_and_cannot_be_closed_first(framework, manager):
    Framework.objects.filter(pk=framework.pk).update(opened_at=None)
    framework.refresh_from_db()
    assert framework.status == Framework.Status.NOT_OPEN
    assert "not open" in refused(services.close_framework, actor=manager, framework=framework, reason="No")
    services.open_framework(actor=manager, framework=framework)
    framework.refresh_from_db()
    assert framework.opened_by == manager and framework.is_open


def test_an_ended_framework_cannot_open_again(framework, manager):
    today = timezone.localdate()
    Framework.objects.filter(pk=framework.pk).update(
        starts_on=today - timedelta(days=800), ends_on=today - timedelta(days=1), closed_at=timezone.now()
    )
    FrameworkExtension.objects.filter(framework=framework).delete()
    framework = Framework.objects.get(pk=framework.pk)
    assert framework.status == Framework.Status.ENDED
    assert "ended" in refused(services.open_framework, actor=manager, framework=framework)


def _extensions(framework, *exercise_by):
    framework.extensions.all().delete()
    return [
        FrameworkExtension.objects.create(framework=framework, position=i, months=12, exercise_by=day)
        for i, day in enumerate(exercise_by, start=1)
    ]


def test_extensions_are_used_in_order_and_extend_the_end(framework, manager):
    later = timezone.localdate() + timedelta(days=30)
    first, second = _extensions(framework, later, later + timedelta(days=365))
    assert "earlier extensions first" in refused(services.exercise_extension, actor=manager, extension=second)
    services.exercise_extension(actor=manager, extension=first)
    first.refresh_from_db()
    assert first.exercised_by == manager and first.exercised_at is not None
    assert Framework.objects.get(pk=framework.pk).effective_end == add_months(framework.ends_on, 12)
    event = AuditEvent.objects.get(action="qualification.framework_extended")
    assert event.after["extension"] == 1 and event.after["ends_on"] == add_months(framework.ends_on, 12).isoformat()
    assert "already been used" in refused(services.exercise_extension, actor=manager, extension=first)
    services.exercise_extension(actor=manager, extension=second)
    assert Framework.objects.get(pk=framework.pk).effective_end == add_months(framework.ends_on, 24)


def test_an_extension_cannot_be_used_after_its_date(framework, manager):
    (late,) = _extensions(framework, timezone.localdate() - timedelta(days=1))
    assert "has passed" in refused(services.exercise_extension, actor=manager, extension=late)
    late.refresh_from_db()
    assert late.exercised_at is None


# Versions of the questions -----------------------------------------------------------------------------------


def test_a_new_version_is_a_draft_copy_of_the_latest(framework, manager, draft):
    current = services.current_question_set(framework)
    assert (current.version, draft.version) == (1, 2)
    assert draft.content == current.content and not draft.is_published and draft.created_by == manager
    event = AuditEvent.objects.get(action="qualification.question_set_drafted")
    assert event.after == {"version": 2, "copied_from": 1}
    assert "already a draft" in refused(services.start_new_version, actor=manager, framework=framework)
    assert QuestionSet.objects.filter(framework=framework).count() == 2


def test_publishing_needs_a_note_and_happens_once(framework, manager, draft):
    assert "Say what has changed" in refused(
        services.publish_question_set, actor=manager, question_set=draft, change_note=""
    )
    services.publish_question_set(actor=manager, question_set=draft, change_note="Shorter hints.")
    draft.refresh_from_db()
    assert draft.published_by == manager and draft.change_note == "Shorter hints."
    assert services.current_question_set(framework) == draft
    assert "published" in refused(services.publish_question_set, actor=manager, question_set=draft, change_note="Again")
    assert actions()[-1] == "qualification.question_set_published"


def test_a_published_version_never_changes(framework, manager):
    published = services.current_question_set(framework)
    content = copy.deepcopy(published.content)
    attempts = [
        (services.update_section_text, {"section_key": "eligibility", "title": "New", "guidance": ""}),
        (services.update_question, {"question_key": "tax", **question_kwargs()}),
        (services.add_question, {"section_key": "eligibility", "key": "new_one", **question_kwargs()}),
        (services.remove_question, {"question_key": "tax"}),
        (services.discard_draft, {}),
    ]
    for call, kwargs in attempts:
        assert "published" in refused(call, actor=manager, question_set=published, **kwargs)
    published.refresh_from_db()
    assert published.content == content


def test_changing_a_draft_writes_an_audit_event_for_each_change(framework, manager, draft):
    services.update_section_text(
        actor=manager, question_set=draft, section_key="eligibility", title="Can you join?", guidance="Be honest."
    )
    services.update_question(
        actor=manager,
        question_set=draft,
        question_key="tax",
        **question_kwargs(kind="yes_no", label="Do you owe tax?", word_limit=None),
    )
    services.add_question(
        actor=manager, question_set=draft, section_key="safeguarding", key="mentoring", **question_kwargs()
    )
    services.remove_question(actor=manager, question_set=draft, question_key="misconduct")
    draft.refresh_from_db()
    content = draft.parsed
    assert content.section("eligibility").title == "Can you join?"
    assert content.section("eligibility").guidance == "Be honest."
    tax = content.section("eligibility").question("tax")
    assert (tax.kind, tax.label, tax.hint) == ("yes_no", "Do you owe tax?", "Tell us about the first week.")
    assert content.section("safeguarding").questions[-1].key == "mentoring"
    assert content.section("eligibility").question("misconduct") is None
    assert actions()[-4:] == [
        "qualification.question_set_section_changed",
        "qualification.question_set_question_changed",
        "qualification.question_set_question_added",
        "qualification.question_set_question_removed",
    ]
    # The published version is untouched.
    assert services.current_question_set(framework).parsed.section("eligibility").question("misconduct") is not None


def test_saving_a_question_unchanged_writes_no_event(framework, manager, draft):
    question = draft.parsed.section("safeguarding").question("safer_recruitment")
    fields = question_kwargs(
        kind=question.kind, label=question.label, hint=question.hint, word_limit=question.word_limit
    )
    fields["glossary"] = list(question.glossary)
    services.update_question(actor=manager, question_set=draft, question_key="safer_recruitment", **fields)
    assert "qualification.question_set_question_changed" not in actions()


@pytest.mark.parametrize(
    ("key", "fields", "expected"),
    [
        ("safer_recruitment", {"word_limit": None}, "word_limit must be a whole number"),
        ("safer_recruitment", {"word_limit": 5000}, "word_limit must be a whole number"),
        ("tax", {"size_bands": ["micro", "huge"]}, "size band(s) huge"),
        ("tax", {"glossary": ["not-a-term"]}, "glossary term(s) not-a-term are not in the glossary"),
        ("tax", {"kind": "choice", "word_limit": None, "options": ["Only one"]}, "at least 2 options"),
        ("tax", {"kind": "yes_no_explain", "word_limit": None, "explain_when": "maybe"}, "explain_when must be"),
        ("tax", {"label": ""}, "label is empty"),
        ("case_study", {"label": "Tell us about some past work"}, "must contain {category}"),
        ("case_study", {"kind": "text", "word_limit": None, "label": "Past {category} work"}, "long_text"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_is_saved(manager, draft, key, fields, expected):
    content = copy.deepcopy(draft.content)
    message = refused(
        services.update_question, actor=manager, question_set=draft, question_key=key, **question_kwargs(**fields)
    )
    assert expected in message
    draft.refresh_from_db()
    assert draft.content == content


def test_a_new_question_needs_a_new_key(manager, draft):
    message = refused(
        services.add_question,
        actor=manager,
        question_set=draft,
        section_key="eligibility",
        key="tax",
        **question_kwargs(),
    )
    assert "the same key is used twice" in message
    message = refused(
        services.add_question,
        actor=manager,
        question_set=draft,
        section_key="eligibility",
        key="Bad Key",
        **question_kwargs(),
    )
    assert "lower case letters" in message


def test_questions_are_added_only_to_sections_of_questions(manager, draft):
    for section_key in ("organisation", "scope", "past_work"):
        message = refused(
            services.add_question,
            actor=manager,
            question_set=draft,
            section_key=section_key,
            key="extra",
            **question_kwargs(),
        )
        assert "only be added to sections of questions" in message


def test_the_last_question_of_a_section_and_the_case_study_cannot_be_removed(manager, draft):
    services.remove_question(actor=manager, question_set=draft, question_key="welsh_speakers")
    assert "has no questions" in refused(
        services.remove_question, actor=manager, question_set=draft, question_key="welsh_service"
    )
    assert "cannot be removed" in refused(
        services.remove_question, actor=manager, question_set=draft, question_key="case_study"
    )
    draft.refresh_from_db()
    assert draft.parsed.section("welsh_language").question("welsh_service") is not None
    assert draft.parsed.case_study_section.case_study is not None


def test_a_draft_is_discarded_unless_applications_use_it(framework, manager, draft):
    org = provider("Discard Test Charity")
    admin = user_with_role("provider_administrator", organisation=org)
    application = factories.draft_application(org, admin)
    Application.objects.filter(pk=application.pk).update(question_set=draft)
    assert "Applications use this version" in refused(services.discard_draft, actor=manager, question_set=draft)
    assert QuestionSet.objects.filter(pk=draft.pk).exists()
    Application.objects.filter(pk=application.pk).update(question_set=services.current_question_set(framework))
    services.discard_draft(actor=manager, question_set=draft)
    assert not QuestionSet.objects.filter(pk=draft.pk).exists()
    assert actions()[-1] == "qualification.question_set_discarded"
    # A new draft can be made after discarding.
    assert services.start_new_version(actor=manager, framework=framework).version == 2


def test_applications_keep_the_version_they_started_with(framework, manager, draft):
    before_org = provider("Started Before")
    after_org = provider("Started After")
    before_admin = user_with_role("provider_administrator", organisation=before_org)
    after_admin = user_with_role("provider_administrator", organisation=after_org)
    started_before = factories.draft_application(before_org, before_admin)

    services.add_question(
        actor=manager, question_set=draft, section_key="eligibility", key="new_question", **question_kwargs()
    )
    services.remove_question(actor=manager, question_set=draft, question_key="misconduct")
    services.publish_question_set(actor=manager, question_set=draft, change_note="A new question.")
    started_after = factories.draft_application(after_org, after_admin)

    started_before = Application.objects.get(pk=started_before.pk)
    started_after = Application.objects.get(pk=started_after.pk)
    assert started_before.question_set.version == 1
    assert started_after.question_set.version == 2
    before_keys = {q.key for q in started_before.content.section("eligibility").questions}
    after_keys = {q.key for q in started_after.content.section("eligibility").questions}
    assert "misconduct" in before_keys and "new_question" not in before_keys
    assert "new_question" in after_keys and "misconduct" not in after_keys
