"""Builders for applications in each state, through the real services (so audit events and rules are real).

    framework = the_framework()                      # needs the reference data loaded
    app = draft_application(org, admin)              # organisation section filled (a micro charity)
    app = complete_application(org, admin)           # every section answered, ready to submit
    app = submitted_application(org, admin)          # submitted
    app = assigned_application(org, admin, assessor) # assigned to an assessor
    app = assessed_application(org, admin, assessor, clarify="insurance")  # every section passed, or one asked
    app = qualified_application(org, admin, assessor, manager)  # decided: qualified in every category

Files are tiny but real (a valid PDF header), so the upload checks pass.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dynamic_framework.qualification import services
from dynamic_framework.qualification.content import Kind, SectionKind
from dynamic_framework.qualification.models import Framework

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

DEFAULT_CATEGORIES = ("women", "emotional-wellbeing")
DEFAULT_AREAS = ("durham", "northumbria")


def pdf(name="accounts.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def the_framework() -> Framework:
    return Framework.objects.get(slug="probation-services-dynamic-framework")


def confirm_email(user):
    if getattr(user, "email_confirmed_at", None) is None and hasattr(user, "email_confirmed_at"):
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def organisation_raw(org, *, income="8,500", legal_form="registered_charity", **overrides) -> dict:
    raw = {
        "name": org.name,
        "legal_form": legal_form,
        "charity_number": "",
        "company_number": "",
        "income": income,
        "income_year": "2025-26",
        "address": "1 High Street\nDurham\nDH1 1AA",
        "contact_email": "hello@example.org",
        "contact_phone": "",
    }
    raw.update(overrides)
    return raw


def draft_application(org, actor, *, framework=None, income="8,500"):
    framework = framework or the_framework()
    application = services.start_application(actor=actor, organisation=org, framework=framework)
    return services.save_organisation_section(
        actor=actor, application=application, raw=organisation_raw(org, income=income)
    )


def answers_for(section, size_band: str, *, in_wales: bool) -> tuple[dict, dict]:
    """Good answers (raw, files) to every question of a section for a size band."""
    raw, files = {}, {}
    for question in section.questions_for(size_band, in_wales=in_wales):
        if question.kind == Kind.FILE:
            files[question.key] = pdf(f"{question.key}.pdf")
        elif question.kind in {Kind.YES_NO, Kind.YES_NO_EXPLAIN}:
            raw[question.key] = "no" if question.explain_when != "no" else "yes"
        elif question.kind == Kind.CHOICE:
            raw[question.key] = question.options[0]
        elif question.kind == Kind.CHECKLIST:
            raw[question.key] = [question.options[0]]
        elif question.kind == Kind.DATE:
            raw.update({f"{question.key}__day": "31", f"{question.key}__month": "3", f"{question.key}__year": "2027"})
        else:
            raw[question.key] = "A short, honest answer."
    return raw, files


def complete_application(
    org, actor, *, framework=None, income="8,500", categories=DEFAULT_CATEGORIES, areas=DEFAULT_AREAS
):
    application = draft_application(org, actor, framework=framework, income=income)
    services.save_scope(actor=actor, application=application, categories=categories, pcc_areas=areas)
    application.refresh_from_db()
    in_wales = services.applies_in_wales(application)
    for section in application.question_set.parsed.sections_for(in_wales=in_wales):
        if section.kind == SectionKind.QUESTIONS:
            raw, files = answers_for(section, application.size_band, in_wales=in_wales)
            services.save_section(actor=actor, application=application, section_key=section.key, raw=raw, files=files)
        elif section.kind == SectionKind.CASE_STUDIES:
            raw = {f"case_study:{slug}": "We ran a weekly group for two years." for slug in categories}
            services.save_section(actor=actor, application=application, section_key=section.key, raw=raw)
    application.refresh_from_db()
    return application


def submitted_application(org, actor, **kwargs):
    application = complete_application(org, actor, **kwargs)
    confirm_email(actor)
    return services.submit_application(
        actor=actor,
        application=application,
        declaration_name=actor.full_name or "Jo Bloggs",
        declaration_role="Chair",
        declared=True,
    )


def assigned_application(org, actor, assessor, *, manager=None, **kwargs):
    from dynamic_framework.accounts.tests.factories import user_with_role

    application = submitted_application(org, actor, **kwargs)
    manager = manager or user_with_role("framework_manager")
    return services.assign_application(actor=manager, application=application, assessor=assessor)


def assessed_application(org, actor, assessor, *, clarify: str | None = None, fail: str | None = None, **kwargs):
    """Every section passed by the assessor, except `clarify` (a question is asked) and `fail`."""
    application = assigned_application(org, actor, assessor, **kwargs)
    for key, _title in services.assessable_sections(application):
        if key == clarify:
            services.assess_section(
                actor=assessor,
                application=application,
                section_key=key,
                outcome="clarification",
                note="Can you send us your insurance certificate?",
            )
        elif key == fail:
            services.assess_section(
                actor=assessor, application=application, section_key=key, outcome="fail", note="Not enough detail."
            )
        else:
            services.assess_section(actor=assessor, application=application, section_key=key, outcome="pass")
    application.refresh_from_db()
    return application


def qualified_application(org, actor, assessor, manager, **kwargs):
    application = assessed_application(org, actor, assessor, **kwargs)
    decisions = dict.fromkeys(application.category_choices.values_list("category__slug", flat=True), ("qualified", ""))
    return services.decide_application(actor=manager, application=application, decisions=decisions)


def qualify_directly(org, *, manager, categories=DEFAULT_CATEGORIES, areas=DEFAULT_AREAS, framework=None):
    """Put an organisation on the register without going through the journey (fast, for other apps' tests):
    a decided application and a qualification per category, written straight to the database."""
    from dynamic_framework.categories.models import ServiceCategory
    from dynamic_framework.geography.models import PccArea
    from dynamic_framework.qualification.models import Application, ApplicationCategory, Qualification, QualifiedArea

    framework = framework or the_framework()
    now = timezone.now()
    application = Application.objects.create(
        framework=framework,
        organisation=org,
        question_set=services.current_question_set(framework),
        reference=services._new_reference(),
        size_band="small",
        started_by=manager,
        submitted_at=now,
        submitted_by=manager,
        declaration_name="Test",
        declaration_role="Test",
        decided_at=now,
        decided_by=manager,
    )
    area_objects = list(PccArea.objects.filter(slug__in=areas))
    application.pcc_areas.set(area_objects)
    for category in ServiceCategory.objects.filter(slug__in=categories):
        ApplicationCategory.objects.create(
            application=application, category=category, outcome="qualified", decided_at=now, decided_by=manager
        )
        qualification = Qualification.objects.create(
            framework=framework,
            organisation=org,
            category=category,
            application=application,
            qualified_at=now,
            qualified_by=manager,
        )
        QualifiedArea.objects.bulk_create(
            [
                QualifiedArea(qualification=qualification, pcc_area=a, application=application, qualified_at=now)
                for a in area_objects
            ]
        )
    return application
