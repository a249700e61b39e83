"""Turning a confirmed award into contracts (or grant agreements) in the contract register.

Each call-off becomes a commissioning round; each awarded lot an award (its value is the winning bid's price for
the lot, over all its years); each PCC area of the lot a contract, or one regional contract for a whole-region lot,
as in the 2021 awards. The supply chain is copied from the winning bid (members that declined are left out).
"""

from datetime import timedelta

from django.utils import timezone

from dynamic_framework.contracts.models import (
    Award,
    CommissioningRound,
    Contract,
    SupplyChainMember,
    lot_type_for,
)
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.qualification.models import add_months

from . import sealing
from .models import FundingMechanism, Lot, Sex


def term_end(call_off):
    return add_months(call_off.term_start, call_off.term_months) - timedelta(days=1)


def commissioner_for(call_off) -> Organisation | None:
    if call_off.co_commissioner_id:
        return call_off.co_commissioner
    return Organisation.objects.filter(
        kind=Organisation.Kind.COMMISSIONING_BODY,
        commissioning_body_type=Organisation.CommissioningBodyType.HMPPS_REGION,
        region=call_off.region,
    ).first()


def create_agreements(*, actor, call_off) -> list[Contract]:
    round_, _created = CommissioningRound.objects.get_or_create(
        slug=f"call-off-{call_off.reference.lower()}",
        defaults={
            "name": f"{call_off.title} ({call_off.reference})"[:200],
            "description": call_off.summary,
            "announced_on": timezone.localdate(),
            "source": f"Call-off {call_off.reference}, awarded through the Dynamic Framework in this service.",
            "position": 100,
        },
    )
    categories = list(call_off.categories.all())
    lot_type = lot_type_for(c.number for c in categories)
    commissioner = commissioner_for(call_off)
    mechanism = "Grant agreement" if call_off.funding_mechanism == FundingMechanism.GRANT else "Contract"
    contracts = []
    for lot in call_off.lots.select_related(
        "award__bid__organisation", "award__bid__latest_submission"
    ).prefetch_related("pcc_areas"):
        lot_award = getattr(lot, "award", None)
        if lot_award is None:
            continue
        bid = lot_award.bid
        content = sealing.open_after_deadline(call_off, bid.latest_submission.content)
        value = sum(content["lots"][str(lot.pk)]["years"].values())
        award = Award.objects.create(
            round=round_,
            reference=f"{call_off.reference}-lot-{lot.position}",
            line_number=lot.position,
            region=call_off.region,
            lot_type=lot_type,
            lead_provider=bid.organisation,
            provider_as_written=bid.organisation.name,
            value_pence=value,
            notes=f"{mechanism} for lot {lot.position}: {lot.name}",
            source_text=f"Awarded {timezone.localdate():%d %B %Y} through call-off {call_off.reference}",
        )
        areas = [None] if lot.kind == Lot.Kind.REGION else sorted(lot.pcc_areas.all(), key=lambda a: a.name)
        declined = set(
            bid.supply_chain_invitations.filter(declined_at__isnull=False).values_list("organisation_id", flat=True)
        )
        for area in areas:
            suffix = f"-{area.slug}" if area is not None and len(areas) > 1 else ""
            contract = Contract.objects.create(
                reference=f"{call_off.reference}-lot-{lot.position}{suffix}",
                title=f"{call_off.title}: {area.name if area else lot.name}"[:300],
                round=round_,
                award=award,
                lot_type=lot_type,
                region=call_off.region,
                pcc_area=area,
                lead_provider=bid.organisation,
                lead_provider_as_written=bid.organisation.name,
                commissioner=commissioner,
                start_date=call_off.term_start,
                end_date=term_end(call_off),
                allows_female=call_off.cohort_sex in (Sex.ANY, Sex.WOMEN),
                allows_male=call_off.cohort_sex in (Sex.ANY, Sex.MEN),
                min_age=call_off.cohort_min_age,
                max_age=call_off.cohort_max_age,
                notes=f"{mechanism}. " + (call_off.cohort_note or ""),
                source=f"Call-off {call_off.reference} (bid receipt {bid.latest_submission.receipt})",
            )
            contract.service_categories.set(categories)
            for member in content.get("supply_chain", []):
                if member.get("organisation") and member["organisation"] not in declined:
                    SupplyChainMember.objects.get_or_create(
                        contract=contract,
                        organisation_id=member["organisation"],
                        defaults={"name_as_written": member["name"], "source": f"Bid {bid.latest_submission.receipt}"},
                    )
            if lot_award.contract_id is None:
                lot_award.contract = contract
                lot_award.save(update_fields=["contract"])
            contracts.append(contract)
    return contracts
