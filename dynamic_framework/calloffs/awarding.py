"""Turning a confirmed award into contracts (or grant agreements) in the contract register.

Each call-off becomes a commissioning round; each awarded lot an award (its value is the winning bid's price for
the lot, over all its years); each PCC area of the lot a contract, or one regional contract for a whole-region lot,
as in the 2021 awards. The supply chain is copied from the winning bid (members that declined are left out), with
the terms the bid gave (what each does, its share, how it is paid, whether it is material), joining at the start.

Each contract gets the call-off's funding mechanism (grant agreement or contract), who the service is for, the areas
it serves, an extension option per extension in the call-off, and a row per financial year with the winning bid's
price and the lot's expected number of people. A lot of several PCC areas is several contracts of one award: each
carries the award's values (the register says they are shared by the award's contracts), as the 2021 awards do.
"""

from datetime import timedelta

from django.utils import timezone

from dynamic_framework.contracts.eligibility import eligibility_text
from dynamic_framework.contracts.models import (
    Award,
    CommissioningRound,
    Contract,
    ContractArea,
    ContractYear,
    ExtensionOption,
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
    ).prefetch_related("pcc_areas", "years", "region__pcc_areas"):
        lot_award = getattr(lot, "award", None)
        if lot_award is None:
            continue
        bid = lot_award.bid
        content = sealing.open_after_deadline(call_off, bid.latest_submission.content)
        prices = {int(year): price for year, price in content["lots"][str(lot.pk)]["years"].items()}
        people = {y.financial_year: y.expected_people for y in lot.years.all()}
        value = sum(prices.values())
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
        end = term_end(call_off)
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
                end_date=end,
                original_end_date=end,
                funding_mechanism=call_off.funding_mechanism,
                eligibility=eligibility_text(
                    allows_female=call_off.cohort_sex in (Sex.ANY, Sex.WOMEN),
                    allows_male=call_off.cohort_sex in (Sex.ANY, Sex.MEN),
                    min_age=call_off.cohort_min_age,
                    max_age=call_off.cohort_max_age,
                    note=call_off.cohort_note,
                ),
                allows_female=call_off.cohort_sex in (Sex.ANY, Sex.WOMEN),
                allows_male=call_off.cohort_sex in (Sex.ANY, Sex.MEN),
                min_age=call_off.cohort_min_age,
                max_age=call_off.cohort_max_age,
                notes=f"{mechanism}. " + (call_off.cohort_note or ""),
                source=f"Call-off {call_off.reference} (bid receipt {bid.latest_submission.receipt})",
            )
            contract.service_categories.set(categories)
            served = [area] if area is not None else sorted(lot.region.pcc_areas.all(), key=lambda a: a.name)
            ContractArea.objects.bulk_create(
                ContractArea(contract=contract, pcc_area=a, added_on=call_off.term_start) for a in served
            )
            ContractYear.objects.bulk_create(
                ContractYear(
                    contract=contract,
                    financial_year=year,
                    value_pence=prices.get(year),
                    expected_people=people.get(year),
                )
                for year in sorted(set(prices) | set(people))
            )
            exercise_by = end
            for position, months in enumerate(call_off.extension_months or [], start=1):
                # Each option must be taken up before the contract (as extended by the earlier options) ends.
                ExtensionOption.objects.create(
                    contract=contract, position=position, months=months, exercise_by=exercise_by
                )
                exercise_by = add_months(exercise_by + timedelta(days=1), months) - timedelta(days=1)
            for member in content.get("supply_chain", []):
                if member.get("organisation") and member["organisation"] not in declined:
                    SupplyChainMember.objects.get_or_create(
                        contract=contract,
                        organisation_id=member["organisation"],
                        defaults={
                            "name_as_written": member["name"],
                            "source": f"Bid {bid.latest_submission.receipt}",
                            "service": (member.get("role") or "")[:300],
                            "share_type": member.get("share_type") or "",
                            "share_value": member.get("share_value") if member.get("share_type") else None,
                            "payment_terms": member.get("payment_terms") or "",
                            "material": bool(member.get("material")),
                            "joined_on": call_off.term_start,
                        },
                    )
            if lot_award.contract_id is None:
                lot_award.contract = contract
                lot_award.save(update_fields=["contract"])
            contracts.append(contract)
    return contracts
