"""Emails about applications and the register, sent in the background through django-tasks.

Tasks receive database ids only, and read what they need when they run. Every email is also shown in the
service (the application page and the register entry), so nobody depends on the email arriving.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from dynamic_framework.accounts.models import Role, RoleGrant

from .models import Application, Clarification, Framework, Qualification


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, template: str, context: dict, to: list[str]) -> int:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"qualification/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"qualification/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


def organisation_administrators(organisation_id: int) -> list[str]:
    return list(
        RoleGrant.objects.active()
        .filter(organisation_id=organisation_id, role=Role.PROVIDER_ADMINISTRATOR, user__is_active=True)
        .values_list("user__email", flat=True)
    )


def _applicant_addresses(application: Application) -> list[str]:
    people = organisation_administrators(application.organisation_id)
    if application.submitted_by_id:
        people.append(application.submitted_by.email)
    return people


def _application(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("organisation", "framework", "submitted_by", "assigned_to")
        .filter(pk=application_id)
        .first()
    )


def application_link(application: Application) -> str:
    return absolute_url(reverse("qualification:application", kwargs={"reference": application.reference}))


def assessment_link(application: Application) -> str:
    return absolute_url(reverse("qualification:assess", kwargs={"reference": application.reference}))


@task()
def send_application_submitted_email(*, application_id: int) -> int:
    application = _application(application_id)
    if application is None or not application.submitted_at:
        return 0
    return _send(
        template="application_submitted",
        context={"application": application, "link": application_link(application)},
        to=_applicant_addresses(application),
    )


@task()
def send_application_assigned_email(*, application_id: int) -> int:
    application = _application(application_id)
    if application is None or not application.assigned_to_id:
        return 0
    return _send(
        template="application_assigned",
        context={"application": application, "link": assessment_link(application)},
        to=[application.assigned_to.email],
    )


@task()
def send_clarification_requested_email(*, clarification_id: int) -> int:
    clarification = (
        Clarification.objects.select_related("application__organisation").filter(pk=clarification_id).first()
    )
    if clarification is None or clarification.answered_at:
        return 0
    application = _application(clarification.application_id)
    return _send(
        template="clarification_requested",
        context={
            "application": application,
            "clarification": clarification,
            "link": absolute_url(
                reverse(
                    "qualification:clarification",
                    kwargs={"reference": application.reference, "pk": clarification.pk},
                )
            ),
        },
        to=_applicant_addresses(application),
    )


@task()
def send_clarification_answered_email(*, clarification_id: int) -> int:
    clarification = Clarification.objects.filter(pk=clarification_id).first()
    if clarification is None or not clarification.answered_at:
        return 0
    application = _application(clarification.application_id)
    if application is None or not application.assigned_to_id:
        return 0
    return _send(
        template="clarification_answered",
        context={"application": application, "clarification": clarification, "link": assessment_link(application)},
        to=[application.assigned_to.email],
    )


@task()
def send_decision_email(*, application_id: int) -> int:
    application = _application(application_id)
    if application is None or not application.decided_at:
        return 0
    choices = list(application.category_choices.select_related("category"))
    return _send(
        template="decision",
        context={"application": application, "choices": choices, "link": application_link(application)},
        to=_applicant_addresses(application),
    )


@task()
def send_register_change_email(*, qualification_id: int, change: str) -> int:
    qualification = Qualification.objects.select_related("organisation", "category").filter(pk=qualification_id).first()
    if qualification is None:
        return 0
    suspension = qualification.suspensions.order_by("-suspended_at").first()
    return _send(
        template="register_change",
        context={
            "qualification": qualification,
            "change": change,
            "suspension": suspension,
            "link": absolute_url(
                reverse("qualification:register-entry", kwargs={"slug": qualification.organisation.slug})
            ),
        },
        to=organisation_administrators(qualification.organisation_id),
    )


@task()
def send_confirmation_reminder_email(*, organisation_id: int, framework_id: int, due_on: str) -> int:
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return 0
    from dynamic_framework.organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    return _send(
        template="confirmation_reminder",
        context={
            "organisation": organisation,
            "framework": framework,
            "due_on": date.fromisoformat(due_on),
            "link": absolute_url(reverse("qualification:confirm-details")),
        },
        to=organisation_administrators(organisation_id),
    )
