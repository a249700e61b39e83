"""The call-off objects of the permission matrix's world (added after the qualification objects).

All in region A (North East), where the matrix's commissioner user commissions. world.org (the matrix provider,
whose administrator and staff are the provider users) and world.other_org are qualified for women's services in
Durham and Northumbria.

world.co_draft          a draft by the matrix commissioner (one lot: Durham)
world.co_awaiting       sent for approval by another commissioner (the matrix commissioner may approve it)
world.co_open           published and open for bids, deadline in 20 days
world.open_bid          world.org's submitted bid for co_open
world.other_open_bid    world.other_org's submitted bid for co_open, naming world.org in its supply chain
world.supply_chain_invitation  that supply chain invitation to world.org (answer it as world.org's members)
world.open_question     world.org's question about co_open, not answered yet
world.co_closed         published, deadline passed, no panel yet; world.org bid for it (world.closed_bid)
world.co_evaluation     deadline passed, panel formed with the matrix evaluator and another evaluator; bids from
                        world.org (world.evaluation_bid) and world.other_org (world.other_evaluation_bid)
world.co_awarded        awarded: world.org won (world.awarded_bid), letters sent, a contract in the register
world.other_commissioner  another commissioner for region A (created and approved the call-offs)
"""

from datetime import timedelta


def build(world) -> None:
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.tests.factories import CallOffWorld, evaluate, travel
    from dynamic_framework.geography.models import Region
    from dynamic_framework.qualification.tests import factories as q

    region = Region.objects.get(code="A")
    users = world.users
    other_admin = world.other_org_admin if hasattr(world, "other_org_admin") else None
    if other_admin is None:
        from dynamic_framework.accounts.models import Role, RoleGrant

        grant = (
            RoleGrant.objects.active().filter(organisation=world.other_org, role=Role.PROVIDER_ADMINISTRATOR).first()
        )
        other_admin = grant.user if grant else user_with_role("provider_administrator", organisation=world.other_org)
    q.confirm_email(other_admin)
    q.qualify_directly(world.other_org, manager=users["framework_manager"], categories=["women"])
    world.other_commissioner = user_with_role("commissioner", regions=[region], email="other.commissioner@example.org")
    second_evaluator = user_with_role("evaluator", email="second.evaluator@example.org")
    calloffs = CallOffWorld(
        region=region,
        commissioner=world.other_commissioner,
        approver=users["commissioner"],
        evaluators=[users["evaluator"], second_evaluator],
        manager=users["framework_manager"],
        providers=[world.org, world.other_org],
        admins={world.org.pk: users["provider_administrator"], world.other_org.pk: other_admin},
    )
    mine = CallOffWorld(
        **{**calloffs.__dict__, "commissioner": users["commissioner"], "approver": world.other_commissioner}
    )

    world.co_draft = mine.draft()
    world.co_awaiting = calloffs.draft()
    services.submit_for_approval(actor=world.other_commissioner, call_off=world.co_awaiting)
    world.co_open = calloffs.published()
    world.open_bid = calloffs.bid(world.org, world.co_open)
    world.other_open_bid = calloffs.bid(
        world.other_org,
        world.co_open,
        supply_chain=[
            {
                "organisation": world.org.pk,
                "role": "Mentoring for women leaving prison",
                "share_type": "percent",
                "share_value": 2000,
                "payment_terms": "pass_through",
                "material": True,
            }
        ],
    )
    world.supply_chain_invitation = world.other_open_bid.supply_chain_invitations.get(organisation=world.org)
    world.open_question = services.ask_question(
        actor=users["provider_administrator"],
        call_off=world.co_open,
        organisation=world.org,
        question="Can the service run from our existing centre?",
    )

    now = timezone.now()
    with travel(now - timedelta(days=40)):
        world.co_closed = calloffs.published()
        world.closed_bid = calloffs.bid(world.org, world.co_closed)
        world.co_evaluation = calloffs.published()
        world.evaluation_bid = calloffs.bid(world.org, world.co_evaluation)
        world.other_evaluation_bid = calloffs.bid(world.other_org, world.co_evaluation, prices=(95_000, 115_000))
    services.form_panel(actor=users["commissioner"], call_off=world.co_evaluation, members=calloffs.evaluators)

    with travel(now - timedelta(days=90)):
        world.co_awarded = calloffs.published()
        world.awarded_bid = calloffs.bid(world.org, world.co_awarded)
        calloffs.bid(world.other_org, world.co_awarded, prices=(99_000, 119_000))
    with travel(now - timedelta(days=60)):
        evaluate(calloffs, world.co_awarded)
        services.recommend_award(actor=world.other_commissioner, call_off=world.co_awarded)
        services.approve_award(actor=users["commissioner"], call_off=world.co_awarded)
    with travel(now - timedelta(days=40)):
        services.confirm_award(actor=users["commissioner"], call_off=world.co_awarded)
    for call_off in ("co_draft", "co_awaiting", "co_open", "co_closed", "co_evaluation", "co_awarded"):
        getattr(world, call_off).refresh_from_db()

    # Opportunities (tests/matrix_rows/calloffs_opportunities.py): a published call-off with a document (added while
    # it was a draft, so there is no amendment), a draft with a document (only its region's commissioners may
    # download it), and email alert subscriptions with their links: a confirmed one, and one whose confirmation
    # link is 8 days old (the links work for 7).
    from unittest import mock

    from django.core import signing

    from dynamic_framework.calloffs import tasks
    from dynamic_framework.qualification.tests.factories import pdf

    world.co_documents = calloffs.draft()
    world.public_document = services.add_document(
        actor=world.other_commissioner, call_off=world.co_documents, title="Specification", uploaded=pdf("spec.pdf")
    )
    services.submit_for_approval(actor=world.other_commissioner, call_off=world.co_documents)
    services.approve_and_publish(actor=users["commissioner"], call_off=world.co_documents)
    world.co_documents.refresh_from_db()
    world.co_draft_with_document = calloffs.draft()
    world.draft_document = services.add_document(
        actor=world.other_commissioner, call_off=world.co_draft_with_document, title="Draft", uploaded=pdf("d.pdf")
    )
    world.alert_subscription = services.subscribe_to_alerts(actor=None, email="alerts@example.org")
    services.confirm_alerts(actor=None, subscription=world.alert_subscription)
    world.alert_confirm_token = tasks.alert_token(world.alert_subscription, "confirm")
    world.alert_unsubscribe_token = tasks.alert_token(world.alert_subscription, "unsubscribe")
    world.unconfirmed_alert = services.subscribe_to_alerts(actor=None, email="late.alerts@example.org")
    eight_days_ago = signing.b62_encode(int(timezone.now().timestamp()) - 8 * 24 * 3600)
    with mock.patch.object(signing.TimestampSigner, "timestamp", lambda self: eight_days_ago):
        world.expired_alert_confirm_token = tasks.alert_token(world.unconfirmed_alert, "confirm")

    # Bidding (tests/matrix_rows/calloffs_bidding.py): a published call-off open for bids that world.org is qualified
    # for but has not bid for yet (its members see the start page and may start a bid). Its reference is fixed, so
    # that an API row can name it in the JSON it sends.
    from dynamic_framework.calloffs.models import CallOff

    world.co_open_no_bid = calloffs.published()
    CallOff.objects.filter(pk=world.co_open_no_bid.pk).update(reference="DFC-MTRX-BIDS")
    world.co_open_no_bid.refresh_from_db()

    # Call-offs API for commissioners and questions (tests/matrix_rows/calloffs_manage_api.py): the lot and quality
    # question of world.co_draft; a call-off sent for approval by the matrix commissioner (who may not approve it:
    # four eyes); a draft in another region (North West), whose commissioners are not the matrix's; and a question
    # from world.other_org about co_open (a 404 for world.org's members).
    world.co_draft_lot = world.co_draft.lots.get()
    world.co_draft_quality_question = world.co_draft.quality_questions.first()
    world.co_sent_by_me = mine.draft()
    services.submit_for_approval(actor=users["commissioner"], call_off=world.co_sent_by_me)
    world.co_sent_by_me.refresh_from_db()
    north_west = Region.objects.get(code="B")
    north_west_commissioner = user_with_role(
        "commissioner", regions=[north_west], email="north.west.commissioner@example.org"
    )
    world.co_other_region = services.create_call_off(
        actor=north_west_commissioner,
        region=north_west,
        categories=list(world.co_draft.categories.all()),
        **{field: getattr(world.co_draft, field) for field in services.EDITABLE_FIELDS},
    )
    world.other_question = services.ask_question(
        actor=other_admin,
        call_off=world.co_open,
        organisation=world.other_org,
        question="Is travel paid for separately?",
    )
