"""Who may do what with call-offs. Deny by default.

Bid content and bidders' names are sealed until the deadline whatever these rules say: see sealing.py, which
refuses to open a bid for anyone but the bidder before then. These rules decide who may see what after it.
"""

import rules

from dynamic_framework.accounts.rules import (
    commissioner_region_ids,
    is_commissioner,
    is_evaluator,
    is_member_of_organisation,
    is_provider_administrator,
    is_provider_staff,
    member_organisation_ids,
)


def _call_off(obj):
    for attribute in ("call_off", "bid"):
        inner = getattr(obj, attribute, None)
        if inner is not None and attribute == "bid":
            return inner.call_off
        if inner is not None:
            return inner
    return obj


@rules.predicate
def is_commissioner_for_call_off(user, obj) -> bool:
    call_off = _call_off(obj)
    return call_off is not None and call_off.region_id in commissioner_region_ids(user)


@rules.predicate
def is_on_panel(user, obj) -> bool:
    call_off = _call_off(obj)
    if call_off is None:
        return False
    return call_off.panel.filter(user_id=user.pk).exists()


@rules.predicate
def is_bidder(user, bid) -> bool:
    return bid is not None and bid.organisation_id in member_organisation_ids(user)


@rules.predicate
def is_invited_organisation(user, invitation) -> bool:
    return invitation is not None and invitation.organisation_id in member_organisation_ids(user)


@rules.predicate
def is_published(user, call_off) -> bool:
    return call_off is not None and call_off.published_at is not None


is_provider_member = is_provider_administrator | is_provider_staff

rules.add_perm("calloffs.create_call_off", is_commissioner)
rules.add_perm("calloffs.view_call_off", is_commissioner_for_call_off)
rules.add_perm("calloffs.manage_call_off", is_commissioner_for_call_off)
rules.add_perm("calloffs.view_opportunity", is_published)
rules.add_perm("calloffs.ask_question", is_published & is_provider_member)
rules.add_perm("calloffs.bid", is_published & is_provider_member)
rules.add_perm("calloffs.view_bid", is_bidder)
rules.add_perm("calloffs.respond_to_invitation", is_invited_organisation)
rules.add_perm("calloffs.evaluate", is_on_panel & is_evaluator)
rules.add_perm("calloffs.moderate", is_commissioner_for_call_off)
rules.add_perm("calloffs.view_organisation_bids", is_member_of_organisation)
