"""The assessment rules, whoever calls the services: assigning, conflicts of interest, assessing sections,
clarifications and the decision. Every transition writes its audit event; every refusal writes nothing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import provider_organisation, user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.qualification import selectors, services
from dynamic_framework.qualification.models import (
    Application,
    ApplicationCategory,
    Clarification,
    ConflictOfInterest,
    Qualification,
    SectionAssessment,
)
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def refdata(db):
    from dynamic_framework.core.services import load_reference_data

    load_reference_data()


@pytest.fixture
def org():
    return provider_organisation(name="Riverside Women's Centre", slug="riverside")


@pytest.fixture
def admin(org):
    return q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=org, full_name="Pat Provider"))


@pytest.fixture
def manager():
    return user_with_role(Role.FRAMEWORK_MANAGER, full_name="Fran Manager", email="fran@example.org")


@pytest.fixture
def evaluator():
    return user_with_role(Role.EVALUATOR, full_name="Eve Evaluator", email="eve@example.org")


def actions(obj=None) -> list[str]:
    qs = AuditEvent.objects.order_by("pk")
    if obj is not None:
        qs = qs.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(qs.values_list("action", flat=True))


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-pk").first()


def messages(exc_info) -> list[str]:
    return exc_info.value.messages


# Assigning ------------------------------------------------------------------------------------------------------


def test_assigning_records_who_and_when_writes_an_event_and_emails_the_assessor(
    org, admin, manager, evaluator, django_capture_on_commit_callbacks
):
    application = q.submitted_application(org, admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assigned = services.assign_application(actor=manager, application=application, assessor=evaluator)
    assert assigned.assigned_to == evaluator and assigned.assigned_by == manager and assigned.assigned_at
    assert assigned.status == Application.Status.IN_ASSESSMENT
    event = last_event("qualification.application_assigned")
    assert event.actor == manager and event.object_id == str(application.pk)
    assert event.after == {"assigned_to": "eve@example.org"} and event.before == {"assigned_to": None}
    assert [m.to for m in mail.outbox] == [["eve@example.org"]]


def test_reassigning_to_someone_else_records_the_change(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    services.assign_application(actor=manager, application=application, assessor=manager)
    event = last_event("qualification.application_assigned")
    assert event.before == {"assigned_to": "eve@example.org"} and event.after == {"assigned_to": "fran@example.org"}
    application.refresh_from_db()
    assert application.assigned_to == manager


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PLATFORM_ADMINISTRATOR, Role.PROVIDER_STAFF])
def test_assigning_to_someone_who_is_not_an_assessor_is_refused(org, admin, manager, role):
    application = q.submitted_application(org, admin)
    before = actions()
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=application, assessor=user_with_role(role))
    assert exc_info.value.message_dict == {"assessor": ["Choose an assessor from the list"]}
    application.refresh_from_db()
    assert application.assigned_to is None and actions() == before


def test_assigning_to_an_inactive_assessor_is_refused(org, admin, manager, evaluator):
    evaluator.is_active = False
    evaluator.save()
    application = q.submitted_application(org, admin)
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=application, assessor=evaluator)
    assert "assessor" in exc_info.value.message_dict


def test_assigning_to_someone_with_a_declared_conflict_is_refused(org, admin, manager, evaluator):
    application = q.submitted_application(org, admin)
    services.declare_conflict(actor=evaluator, organisation=org, reason="My sister is a trustee")
    before = actions()
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=application, assessor=evaluator)
    assert exc_info.value.message_dict["assessor"] == [
        "Eve Evaluator has a conflict of interest with Riverside Women's Centre: choose someone else"
    ]
    application.refresh_from_db()
    assert application.assigned_to is None and actions() == before


def test_assigning_to_a_member_of_the_applicant_organisation_is_refused(org, admin, manager):
    # An evaluator who is also on the applicant's staff
    member = user_with_role(Role.EVALUATOR)
    from dynamic_framework.accounts.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=member, role=Role.PROVIDER_STAFF, organisation=org)
    application = q.submitted_application(org, admin)
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=application, assessor=member)
    assert "conflict of interest" in exc_info.value.message_dict["assessor"][0]


def test_a_decided_or_withdrawn_application_cannot_be_assigned(org, admin, manager, evaluator):
    decided = q.qualified_application(org, admin, evaluator, manager)
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=decided, assessor=manager)
    assert messages(exc_info) == ["A decision has already been made on this application"]
    other = provider_organisation()
    other_admin = q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=other))
    withdrawn = q.submitted_application(other, other_admin)
    services.withdraw_application(actor=other_admin, application=withdrawn, reason="Not now")
    with pytest.raises(ValidationError) as exc_info:
        services.assign_application(actor=manager, application=withdrawn, assessor=manager)
    assert messages(exc_info) == ["This application has been withdrawn"]


# Conflicts of interest -------------------------------------------------------------------------------------------


def test_declaring_a_conflict_records_it_with_an_event(org, evaluator):
    conflict = services.declare_conflict(actor=evaluator, organisation=org, reason="  I volunteer there  ")
    assert conflict.reason == "I volunteer there" and conflict.user == evaluator
    event = last_event("qualification.conflict_declared")
    assert event.actor == evaluator and event.after == {"organisation": "riverside", "reason": "I volunteer there"}


def test_declaring_a_conflict_needs_a_reason_and_an_organisation_and_only_once(org, evaluator):
    with pytest.raises(ValidationError) as exc_info:
        services.declare_conflict(actor=evaluator, organisation=org, reason="  ")
    assert exc_info.value.message_dict == {"reason": ["Say what the conflict of interest is"]}
    with pytest.raises(ValidationError) as exc_info:
        services.declare_conflict(actor=evaluator, organisation=None, reason="Family")
    assert exc_info.value.message_dict == {"organisation": ["Choose the organisation"]}
    with pytest.raises(ValidationError) as exc_info:
        services.declare_conflict(actor=evaluator, organisation=org, reason=" ".join(["word"] * 201))
    assert exc_info.value.message_dict == {"reason": ["This must be 200 words or fewer"]}
    services.declare_conflict(actor=evaluator, organisation=org, reason="Family")
    with pytest.raises(ValidationError) as exc_info:
        services.declare_conflict(actor=evaluator, organisation=org, reason="Again")
    assert exc_info.value.message_dict == {
        "organisation": ["You have already declared a conflict with this organisation"]
    }
    assert ConflictOfInterest.objects.count() == 1
    assert actions().count("qualification.conflict_declared") == 1


def test_a_conflict_declared_after_assignment_sends_the_application_back_to_the_queue(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    services.declare_conflict(actor=evaluator, organisation=org, reason="I was paid by them last year")
    application.refresh_from_db()
    assert application.assigned_to is None and application.assigned_at is None and application.assigned_by is None
    assert application.status == Application.Status.SUBMITTED
    event = last_event("qualification.application_unassigned")
    assert event.object_id == str(application.pk)
    assert event.before == {"assigned_to": "eve@example.org"}
    assert event.after == {"assigned_to": None, "why": "conflict of interest declared"}
    # ... so the assessor can no longer assess it (even holding an old copy of the application)
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(actor=evaluator, application=application, section_key="insurance", outcome="pass")
    assert messages(exc_info) == ["Only the assessor this application is assigned to can assess it"]
    # ... and nobody can give it back to them
    with pytest.raises(ValidationError):
        services.assign_application(actor=manager, application=application, assessor=evaluator)
    # ... and they no longer see it in their queue, nor the organisation's other applications
    assert list(selectors.queue(evaluator)) == []
    assert list(selectors.queue(manager)) == [application]


def test_a_conflict_with_another_organisation_leaves_assignments_alone(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    services.declare_conflict(actor=evaluator, organisation=provider_organisation(), reason="Friend works there")
    application.refresh_from_db()
    assert application.assigned_to == evaluator
    assert "qualification.application_unassigned" not in actions()


# Assessing sections ---------------------------------------------------------------------------------------------


def test_assessable_sections_include_one_case_study_per_category(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    keys = [key for key, _title in services.assessable_sections(application)]
    assert keys[:2] == ["organisation", "scope"]
    assert "past_work:women" in keys and "past_work:emotional-wellbeing" in keys
    assert "past_work" not in keys
    assert "welsh_language" not in keys  # only for areas in Wales


def test_passing_and_failing_a_section_writes_events(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    passed = services.assess_section(actor=evaluator, application=application, section_key="finances", outcome="pass")
    assert passed.outcome == "pass" and passed.note == "" and passed.assessed_by == evaluator
    failed = services.assess_section(
        actor=evaluator, application=application, section_key="insurance", outcome="fail", note=" Expired cover "
    )
    assert failed.note == "Expired cover"
    events = AuditEvent.objects.filter(action="qualification.section_assessed").order_by("pk")
    assert [e.after for e in events] == [
        {"section": "finances", "outcome": "pass", "note": ""},
        {"section": "insurance", "outcome": "fail", "note": "Expired cover"},
    ]
    assert all(e.actor == evaluator and e.object_id == str(application.pk) for e in events)
    # The latest assessment counts; earlier ones are history
    services.assess_section(actor=evaluator, application=application, section_key="insurance", outcome="pass")
    assert services.latest_assessments(application)["insurance"].outcome == "pass"
    assert [a.outcome for a in selectors.assessment_history(application)["insurance"]] == ["fail", "pass"]


def test_assessing_when_not_assigned_is_refused(org, admin, manager, evaluator):
    application = q.submitted_application(org, admin)
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(actor=manager, application=application, section_key="finances", outcome="pass")
    assert messages(exc_info) == ["Only the assessor this application is assigned to can assess it"]
    services.assign_application(actor=manager, application=application, assessor=evaluator)
    other_evaluator = user_with_role(Role.EVALUATOR)
    with pytest.raises(ValidationError):
        services.assess_section(actor=other_evaluator, application=application, section_key="finances", outcome="pass")
    with pytest.raises(ValidationError):  # a framework manager cannot assess what is assigned to someone else
        services.assess_section(actor=manager, application=application, section_key="finances", outcome="pass")
    assert not SectionAssessment.objects.exists()
    assert "qualification.section_assessed" not in actions()


def test_assessing_with_a_conflict_is_refused_even_when_still_assigned(org, admin, manager, evaluator):
    """A conflict that did not unassign (the assessor joined the organisation after being assigned)."""
    from dynamic_framework.accounts.rules import forget_grants
    from dynamic_framework.accounts.tests.factories import RoleGrantFactory

    application = q.assigned_application(org, admin, evaluator, manager=manager)
    RoleGrantFactory(user=evaluator, role=Role.PROVIDER_STAFF, organisation=org)
    forget_grants(evaluator)
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(actor=evaluator, application=application, section_key="finances", outcome="pass")
    assert messages(exc_info) == ["You have a conflict of interest with this organisation, so you cannot assess it"]
    assert not SectionAssessment.objects.exists()


def test_assessing_needs_an_outcome_a_note_unless_it_passes_and_a_known_section(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)

    def refused(**kwargs):
        with pytest.raises(ValidationError) as exc_info:
            services.assess_section(actor=evaluator, application=application, **kwargs)
        return exc_info.value

    assert refused(section_key="finances", outcome="maybe").message_dict == {
        "outcome": ["Select pass, fail or clarification needed"]
    }
    assert refused(section_key="finances", outcome="fail", note=" ").message_dict == {
        "note": ["Say why the section fails"]
    }
    assert refused(section_key="finances", outcome="clarification").message_dict == {
        "note": ["Write the question for the applicant"]
    }
    assert refused(section_key="finances", outcome="fail", note="word " * 501).message_dict == {
        "note": ["This must be 500 words or fewer"]
    }
    assert refused(section_key="nothing", outcome="pass").messages == ["There is no such section in this application"]
    assert refused(section_key="past_work", outcome="pass").messages == ["There is no such section in this application"]
    assert refused(section_key="past_work:housing", outcome="pass").messages == [
        "There is no such section in this application"
    ]
    assert not SectionAssessment.objects.exists()
    assert "qualification.section_assessed" not in actions()


def test_a_decided_application_cannot_be_assessed(org, admin, manager, evaluator):
    application = q.qualified_application(org, admin, evaluator, manager)
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(
            actor=evaluator, application=application, section_key="finances", outcome="fail", note="Too late"
        )
    assert messages(exc_info) == ["A decision has already been made on this application"]


# Clarifications -------------------------------------------------------------------------------------------------


def test_clarification_then_answer_then_reassess(org, admin, manager, evaluator, django_capture_on_commit_callbacks):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment = services.assess_section(
            actor=evaluator,
            application=application,
            section_key="insurance",
            outcome="clarification",
            note="Please send your insurance certificate",
        )
    assert assessment.outcome == "clarification"
    clarification = Clarification.objects.get()
    assert (
        clarification.section_key == "insurance" and clarification.question == "Please send your insurance certificate"
    )
    assert clarification.requested_by == evaluator and clarification.is_open
    assert application.status == Application.Status.CLARIFICATION
    event = last_event("qualification.clarification_requested")
    assert event.object_id == str(clarification.pk)
    assert event.after == {
        "application": application.reference,
        "section": "insurance",
        "question": "Please send your insurance certificate",
    }
    assert any(admin.email in m.to for m in mail.outbox)  # the applicant is told

    # Nothing more on that section until the applicant answers
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(actor=evaluator, application=application, section_key="insurance", outcome="pass")
    assert messages(exc_info) == ["The applicant has not answered your question about this section yet"]
    # ... but other sections can be assessed meanwhile
    services.assess_section(actor=evaluator, application=application, section_key="finances", outcome="pass")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_clarification(
            actor=admin, clarification=clarification, answer="Attached", uploaded=q.pdf("cert.pdf")
        )
    clarification.refresh_from_db()
    assert not clarification.is_open and clarification.document.original_name == "cert.pdf"
    assert last_event("qualification.clarification_answered").object_id == str(clarification.pk)
    assert any("eve@example.org" in m.to for m in mail.outbox)  # the assessor is told
    application = Application.objects.get(pk=application.pk)
    assert application.status == Application.Status.IN_ASSESSMENT
    # Still needs a pass or fail
    assert "Insurance has not been passed or failed yet" in services.decision_readiness(application)

    services.assess_section(actor=evaluator, application=application, section_key="insurance", outcome="pass")
    assert services.latest_assessments(application)["insurance"].outcome == "pass"
    assert [a.outcome for a in selectors.assessment_history(application)["insurance"]] == ["clarification", "pass"]


def test_a_second_clarification_on_a_section_while_one_is_open_is_refused(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    before = actions()
    with pytest.raises(ValidationError) as exc_info:
        services.assess_section(
            actor=evaluator, application=application, section_key="insurance", outcome="clarification", note="Again?"
        )
    assert messages(exc_info) == ["The applicant has not answered your question about this section yet"]
    assert Clarification.objects.count() == 1 and actions() == before
    # Once answered, another question may be asked
    services.answer_clarification(actor=admin, clarification=Clarification.objects.get(), answer="Here it is")
    services.assess_section(
        actor=evaluator, application=application, section_key="insurance", outcome="clarification", note="And dates?"
    )
    assert Clarification.objects.filter(answered_at__isnull=True).count() == 1


# The decision ---------------------------------------------------------------------------------------------------


def both(outcome="qualified", reasons=""):
    return {"women": (outcome, reasons), "emotional-wellbeing": (outcome, reasons)}


def test_deciding_qualifies_categories_for_the_areas_applied_for_and_emails_the_applicant(
    org, admin, manager, evaluator, django_capture_on_commit_callbacks
):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    assert services.decision_readiness(application) == []
    assert services.qualifying_categories(application) == {"women", "emotional-wellbeing"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_application(
            actor=manager,
            application=application,
            decisions={
                "women": ("qualified", ""),
                "emotional-wellbeing": ("not_qualified", "Not enough experience yet"),
            },
        )
    assert decided.decided_by == manager and decided.status == Application.Status.DECIDED
    outcomes = {c.category.slug: (c.outcome, c.reasons) for c in decided.category_choices.all()}
    assert outcomes == {
        "women": ("qualified", ""),
        "emotional-wellbeing": ("not_qualified", "Not enough experience yet"),
    }
    qualification = Qualification.objects.get()
    assert qualification.category.slug == "women" and qualification.organisation == org
    assert sorted(qualification.areas.values_list("pcc_area__slug", flat=True)) == ["durham", "northumbria"]
    event = last_event("qualification.application_decided")
    assert event.actor == manager and event.after["decisions"]["emotional-wellbeing"] == {
        "outcome": "not_qualified",
        "reasons": "Not enough experience yet",
    }
    assert last_event("qualification.qualified").object_id == str(qualification.pk)
    assert any(admin.email in m.to for m in mail.outbox)


def test_a_decision_is_refused_while_a_clarification_is_open(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    problems = services.decision_readiness(application)
    assert problems == [
        "Insurance has not been passed or failed yet",
        "A question to the applicant has not been answered yet",
    ]
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions=both())
    assert messages(exc_info) == problems
    assert not Qualification.objects.exists()
    assert "qualification.application_decided" not in actions()


def test_a_decision_is_refused_while_a_section_is_unassessed(org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    for key, _title in services.assessable_sections(application):
        if key != "past_work:women":
            services.assess_section(actor=evaluator, application=application, section_key=key, outcome="pass")
    assert services.decision_readiness(application) == [
        "Examples of your work: Women has not been passed or failed yet"
    ]
    with pytest.raises(ValidationError):
        services.decide_application(actor=manager, application=application, decisions=both())
    application.refresh_from_db()
    assert application.decided_at is None


def test_qualified_is_refused_when_a_general_section_failed(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, fail="safeguarding")
    assert services.decision_readiness(application) == []  # a fail is a decision on the section
    assert services.qualifying_categories(application) == set()
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions=both())
    assert set(exc_info.value.message_dict) == {"outcome_women", "outcome_emotional-wellbeing"}
    assert "cannot be qualified" in exc_info.value.message_dict["outcome_women"][0]
    assert not Qualification.objects.exists()
    # Not qualified, with reasons, is accepted
    services.decide_application(
        actor=manager, application=application, decisions=both("not_qualified", "Your safeguarding policy is missing")
    )
    assert not Qualification.objects.exists()
    assert set(ApplicationCategory.objects.values_list("outcome", flat=True)) == {"not_qualified"}


def test_a_failed_case_study_blocks_only_its_own_category(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, fail="past_work:women")
    assert services.qualifying_categories(application) == {"emotional-wellbeing"}
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions=both())
    assert set(exc_info.value.message_dict) == {"outcome_women"}


def test_not_qualified_without_reasons_is_refused(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(
            actor=manager,
            application=application,
            decisions={"women": ("qualified", ""), "emotional-wellbeing": ("not_qualified", "   ")},
        )
    assert exc_info.value.message_dict == {"reasons_emotional-wellbeing": ["Write the reasons for the applicant"]}
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions={"women": ("qualified", "")})
    assert list(exc_info.value.message_dict) == ["outcome_emotional-wellbeing"]
    assert exc_info.value.message_dict["outcome_emotional-wellbeing"][0].startswith("Select qualified or not qualified")
    application.refresh_from_db()
    assert application.decided_at is None and not Qualification.objects.exists()


def test_a_decision_for_a_category_not_applied_for_is_refused(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(
            actor=manager, application=application, decisions={**both(), "housing": ("qualified", "")}
        )
    assert exc_info.value.message_dict == {"__all__": ["The decision is for categories that were not applied for"]}


def test_deciding_twice_is_refused(org, admin, manager, evaluator):
    application = q.qualified_application(org, admin, evaluator, manager)
    before = actions()
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions=both("not_qualified", "No"))
    assert messages(exc_info) == ["A decision has already been made on this application"]
    assert actions() == before
    assert set(ApplicationCategory.objects.values_list("outcome", flat=True)) == {"qualified"}


def test_a_framework_manager_with_a_conflict_cannot_decide(org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    services.declare_conflict(actor=manager, organisation=org, reason="Former trustee")
    with pytest.raises(ValidationError) as exc_info:
        services.decide_application(actor=manager, application=application, decisions=both())
    assert messages(exc_info) == ["You have a conflict of interest with this organisation, so you cannot decide"]


def test_every_assessment_transition_writes_its_audit_event(org, admin, manager, evaluator):
    """The whole assessment of one application, and the events it leaves, in order."""
    application = q.submitted_application(org, admin)
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    services.assign_application(actor=manager, application=application, assessor=evaluator)
    services.assess_section(
        actor=evaluator, application=application, section_key="insurance", outcome="clarification", note="Dates?"
    )
    services.answer_clarification(actor=admin, clarification=Clarification.objects.get(), answer="1 April to 31 March")
    for key, _title in services.assessable_sections(application):
        services.assess_section(actor=evaluator, application=application, section_key=key, outcome="pass")
    services.decide_application(actor=manager, application=application, decisions=both())
    sections = len(services.assessable_sections(application))
    assert list(AuditEvent.objects.filter(pk__gt=start).order_by("pk").values_list("action", flat=True)) == [
        "qualification.application_assigned",
        "qualification.section_assessed",
        "qualification.clarification_requested",
        "qualification.clarification_answered",
        *["qualification.section_assessed"] * sections,
        "qualification.qualified",
        "qualification.qualified",
        "qualification.application_decided",
    ]


# Selectors used by the assessment pages --------------------------------------------------------------------------


def test_conflicted_user_ids_are_members_and_declared_conflicts(org, admin, evaluator, manager):
    services.declare_conflict(actor=evaluator, organisation=org, reason="Friend")
    assert selectors.conflicted_user_ids(org.pk) == {admin.pk, evaluator.pk}
    assert manager.pk not in selectors.conflicted_user_ids(org.pk)


def test_open_assignment_counts_count_open_applications_only(org, admin, manager, evaluator):
    q.qualified_application(org, admin, evaluator, manager)  # decided: not counted
    other = provider_organisation()
    other_admin = q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=other))
    q.assigned_application(other, other_admin, evaluator, manager=manager)
    assert selectors.open_assignment_counts([evaluator.pk, manager.pk]) == {evaluator.pk: 1}


def test_declared_conflicts_are_the_users_own(org, evaluator, manager):
    services.declare_conflict(actor=evaluator, organisation=org, reason="Friend")
    assert [c.organisation for c in selectors.declared_conflicts(evaluator)] == [org]
    assert list(selectors.declared_conflicts(manager)) == []
