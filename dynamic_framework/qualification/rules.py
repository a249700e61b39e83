"""Who may do what in qualification. Deny by default.

An application is seen only by the applicant organisation's members, the assessor it is assigned to and
framework managers (not platform administrators, not commissioners). An assessor may not assess, and a framework
manager may not decide, an application from an organisation they belong to or have declared a conflict with.
"""

import rules

from dynamic_framework.accounts.rules import (
    is_administrator_of_organisation,
    is_evaluator,
    is_framework_manager,
    is_member_of_organisation,
    member_organisation_ids,
)

_CONFLICTS_ATTRIBUTE = "_qualification_conflict_organisation_ids"


def conflict_organisation_ids(user) -> set[int]:
    """Organisations the user has declared a conflict with, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _CONFLICTS_ATTRIBUTE, None)
    if cached is None:
        from .models import ConflictOfInterest

        cached = set(ConflictOfInterest.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True))
        setattr(user, _CONFLICTS_ATTRIBUTE, cached)
    return cached


def forget_conflicts(user) -> None:
    if user is not None and hasattr(user, _CONFLICTS_ATTRIBUTE):
        delattr(user, _CONFLICTS_ATTRIBUTE)


def has_conflict_with(user, organisation_id) -> bool:
    """A member of the organisation, or a declared conflict with it."""
    return organisation_id in member_organisation_ids(user) or organisation_id in conflict_organisation_ids(user)


def _organisation_id(obj):
    """The organisation an application, qualification or organisation belongs to."""
    if obj is None:
        return None
    for attribute in ("organisation_id", "application__organisation_id"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return value
    application = getattr(obj, "application", None)
    if application is not None:
        return application.organisation_id
    return getattr(obj, "pk", None)


def _application(obj):
    return getattr(obj, "application", None) if not hasattr(obj, "submitted_at") else obj


@rules.predicate
def is_member_of_applicant(user, obj) -> bool:
    return obj is not None and is_member_of_organisation(user, _organisation_id(obj))


@rules.predicate
def is_administrator_of_applicant(user, obj) -> bool:
    return obj is not None and is_administrator_of_organisation(user, _organisation_id(obj))


@rules.predicate
def is_assigned_assessor(user, obj) -> bool:
    application = _application(obj)
    return application is not None and application.assigned_to_id is not None and application.assigned_to_id == user.pk


@rules.predicate
def is_conflicted(user, obj) -> bool:
    return obj is not None and has_conflict_with(user, _organisation_id(obj))


@rules.predicate
def is_provider_organisation(user, organisation) -> bool:
    return organisation is not None and getattr(organisation, "kind", None) == "provider"


is_assessor = is_framework_manager | is_evaluator

# The framework and its content
rules.add_perm("qualification.manage_framework", is_framework_manager)
rules.add_perm("qualification.edit_questions", is_framework_manager)

# Applying (object: the organisation)
rules.add_perm("qualification.apply", is_member_of_organisation & is_provider_organisation)
rules.add_perm("qualification.view_applications", is_member_of_organisation)

# One application (object: the application)
rules.add_perm(
    "qualification.view_application",
    is_member_of_applicant | is_framework_manager | (is_assigned_assessor & ~is_conflicted),
)
rules.add_perm("qualification.edit_application", is_member_of_applicant)
rules.add_perm("qualification.submit_application", is_administrator_of_applicant)
rules.add_perm("qualification.withdraw_application", is_administrator_of_applicant)
rules.add_perm("qualification.answer_clarification", is_member_of_applicant)

# Assessing
rules.add_perm("qualification.view_queue", is_assessor)
rules.add_perm("qualification.declare_conflict", is_assessor)
rules.add_perm("qualification.assign_application", is_framework_manager)
rules.add_perm("qualification.assess_application", is_assigned_assessor & ~is_conflicted)
rules.add_perm("qualification.decide_application", is_framework_manager & ~is_conflicted)

# The register (object: a qualification, or the organisation)
rules.add_perm("qualification.manage_register", is_framework_manager)
rules.add_perm("qualification.withdraw_qualification", is_administrator_of_applicant)
rules.add_perm("qualification.confirm_details", is_administrator_of_organisation)
