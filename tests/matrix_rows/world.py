"""The qualification objects of the permission matrix's world (added by build_world()).

world.framework          the Dynamic Framework (reference data), open
world.decided            world.org's decided application: qualified in women and emotional-wellbeing
world.qualification      world.org's qualification for women (on the public register)
world.draft              world.org's new draft application (organisation section filled, nothing else)
world.framework2         a second framework ("matrix-framework"), open, with the same questions
world.in_assessment      world.org's application in framework2: submitted, assigned to the evaluator user, every
                         section passed except insurance, about which a question is open
world.clarification      that open question (answer it as world.org's members)
world.document           a document of world.in_assessment (an answer to a file question)
world.other_application  world.other_org's application in world.framework: submitted, not assigned to anyone
world.question_set       the framework's published question set (version 1)
world.suspended          world.org's qualification for emotional-wellbeing, suspended by the framework manager
world.never_qualified    a provider that has never been on the register
world.ready              world.other_org's application in framework2: assigned to the evaluator user, every
                         section passed, ready for a decision

The framework manager user assessed nothing; the evaluator user assessed world.decided and world.in_assessment.
The provider administrator's email address is confirmed.
"""

from datetime import date


def build(world) -> None:
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.qualification.models import Framework, QuestionSet
    from dynamic_framework.qualification.services import current_question_set
    from dynamic_framework.qualification.tests import factories as q

    admin = world.users["provider_administrator"]
    manager = world.users["framework_manager"]
    evaluator = world.users["evaluator"]
    q.confirm_email(admin)
    world.framework = q.the_framework()
    world.question_set = current_question_set(world.framework)
    world.decided = q.qualified_application(world.org, admin, evaluator, manager)
    world.qualification = world.decided.qualifications.get(category__slug="women")
    world.draft = q.draft_application(world.org, admin)

    world.framework2 = Framework.objects.create(
        slug="matrix-framework",
        name="Matrix framework",
        purpose="A second framework, for the permission matrix.",
        starts_on=date(2020, 1, 1),
        ends_on=date(2040, 1, 1),
        opened_at=timezone.now(),
    )
    world.framework2.categories.set(world.framework.categories.all())
    QuestionSet.objects.create(
        framework=world.framework2,
        version=1,
        content=world.question_set.content,
        published_at=timezone.now(),
    )
    world.in_assessment = q.assessed_application(
        world.org, admin, evaluator, manager=manager, framework=world.framework2, clarify="insurance"
    )
    world.clarification = world.in_assessment.clarifications.get()
    world.document = world.in_assessment.documents.order_by("pk").first()

    other_admin = q.confirm_email(user_with_role("provider_administrator", organisation=world.other_org))
    world.other_application = q.submitted_application(world.other_org, other_admin)

    # The register (tests/matrix_rows/register.py): world.org's emotional-wellbeing qualification, suspended by the
    # framework manager (world.qualification, for women, is not suspended).
    from dynamic_framework.qualification import services as qualification_services

    world.suspended = world.decided.qualifications.get(category__slug="emotional-wellbeing")
    qualification_services.suspend_qualification(
        actor=manager, qualification=world.suspended, reason="Insurance certificate has lapsed."
    )

    # Manage (tests/matrix_rows/manage.py): a draft version 2 of the managed framework's questions, for the pages
    # that change a draft (world.question_set, version 1, is published and so read-only).
    from dynamic_framework.qualification import selectors as manage_selectors
    from dynamic_framework.qualification import services as manage_services

    world.managed_framework = manage_selectors.the_framework()
    world.draft_question_set = manage_services.start_new_version(actor=manager, framework=world.managed_framework)

    # Assessing (tests/matrix_rows/assess.py): world.other_org's application in framework2, assigned to the evaluator
    # user, with every section passed, so that a framework manager can decide it.
    world.ready = q.assessed_application(
        world.other_org, other_admin, evaluator, manager=manager, framework=world.framework2
    )

    # Call-offs (tests/matrix_rows/calloffs_world.py)
    from tests.matrix_rows import calloffs_world

    calloffs_world.build(world)

    # The contract register (tests/matrix_rows/contracts_world.py)
    from tests.matrix_rows import contracts_world

    contracts_world.build(world)

    # The register (tests/matrix_rows/register.py and api.py): a provider that has never been qualified (world.other_org
    # is qualified by the call-offs world).
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    world.never_qualified = ProviderFactory(name="Never Qualified Provider", slug="never-qualified-provider")
