"""Scoring a call-off's bids: the published formulas, exclusions, ranking per lot and the letters.

- Quality: for each question, the agreed (moderated) score out of 4, times the question's weight, divided by 4.
- Social value: the same, with the social value weight.
- Price, per lot: the lowest compliant price for the lot divided by the bid's price, times the price weight.
  A bid's price for a lot is the sum of its prices for each financial year.
- A bid whose quality marks are less than the minimum share of the quality weight is excluded, and so is a bid
  submitted before an amendment and not submitted again after it. Excluded bids do not set the lowest price.
- Ranking: by total; ties broken by the published rule (models.TIE_BREAK_RULE).

All arithmetic is exact (fractions); scores are rounded to 2 decimal places, halves up, only when shown.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from dynamic_framework.core.money import format_pence
from dynamic_framework.core.time import format_uk_date, format_uk_datetime

from . import sealing
from .models import MAX_SCORE, TIE_BREAK_RULE, ConsensusScore


def show(value: Fraction) -> str:
    """An exact score, rounded to 2 decimal places (halves up) for showing: Fraction(215, 4) -> '53.75'."""
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )


@dataclass
class BidResult:
    bid: object
    content: dict
    quality: Fraction = Fraction(0)
    social_value: Fraction = Fraction(0)
    price: Fraction = Fraction(0)
    price_pence: int = 0
    quality_percent: Fraction = Fraction(0)
    consensus: dict = field(default_factory=dict)  # question id (None: social value) -> ConsensusScore
    excluded: str = ""
    rank: int | None = None

    @property
    def total(self) -> Fraction:
        return self.quality + self.social_value + self.price

    def sort_key(self):
        return (
            -self.total,
            -self.quality,
            -self.social_value,
            self.price_pence,
            self.bid.latest_submission.submitted_at,
        )


@dataclass
class LotResult:
    lot: object
    ranked: list[BidResult] = field(default_factory=list)
    excluded: list[BidResult] = field(default_factory=list)

    @property
    def winner(self) -> BidResult | None:
        return self.ranked[0] if self.ranked else None


@dataclass
class Results:
    call_off: object
    lots: list[LotResult]
    unmoderated: list = field(default_factory=list)  # bids missing an agreed score
    bids: dict = field(default_factory=dict)  # bid id -> its base BidResult (quality, social value)

    def for_bid(self, bid) -> list[tuple[LotResult, BidResult]]:
        out = []
        for lot_result in self.lots:
            for result in [*lot_result.ranked, *lot_result.excluded]:
                if result.bid.pk == bid.pk:
                    out.append((lot_result, result))
        return out


def results(call_off) -> Results:
    from .services import counted_bids, criteria, needs_reconfirmation

    bids = counted_bids(call_off)
    questions = criteria(call_off)
    quality_weight = sum(q.weight for q in questions if q is not None)
    consensus = {}
    for score in ConsensusScore.objects.filter(bid__in=bids).select_related("question"):
        consensus.setdefault(score.bid_id, {})[score.question_id] = score
    base, unmoderated = {}, []
    for bid in bids:
        content = sealing.open_after_deadline(call_off, bid.latest_submission.content)
        agreed = consensus.get(bid.pk, {})
        if any((q.pk if q else None) not in agreed for q in questions):
            unmoderated.append(bid)
        result = BidResult(bid=bid, content=content, consensus=agreed)
        for question in questions:
            score = agreed.get(question.pk if question else None)
            if score is None:
                continue
            points = Fraction(score.score, MAX_SCORE) * (question.weight if question else call_off.social_value_weight)
            if question is None:
                result.social_value += points
            else:
                result.quality += points
        result.quality_percent = result.quality / quality_weight * 100 if quality_weight else Fraction(100)
        if result.quality_percent < call_off.minimum_quality_percent and bid not in unmoderated:
            result.excluded = _(
                "The quality score was %(score)s%% of the quality marks, below the minimum of %(minimum)s%%"
            ) % {"score": show(result.quality_percent), "minimum": call_off.minimum_quality_percent}
        elif needs_reconfirmation(bid):
            result.excluded = _("The bid was submitted before the call-off changed, and not submitted again after it")
        base[bid.pk] = result
    lot_results = []
    for lot in call_off.lots.all():
        lot_result = LotResult(lot=lot)
        entries = []
        for bid in bids:
            priced = base[bid.pk].content.get("lots", {}).get(str(lot.pk))
            if not priced:
                continue
            source = base[bid.pk]
            entry = BidResult(
                bid=bid,
                content=source.content,
                quality=source.quality,
                social_value=source.social_value,
                quality_percent=source.quality_percent,
                consensus=source.consensus,
                excluded=source.excluded,
                price_pence=sum(priced["years"].values()),
            )
            entries.append(entry)
        compliant = [e for e in entries if not e.excluded and e.bid not in unmoderated]
        lowest = min((e.price_pence for e in compliant), default=None)
        for entry in entries:
            if lowest and entry.price_pence:
                entry.price = Fraction(lowest, entry.price_pence) * call_off.price_weight
        lot_result.ranked = sorted(compliant, key=BidResult.sort_key)
        for rank, entry in enumerate(lot_result.ranked, start=1):
            entry.rank = rank
        lot_result.excluded = [e for e in entries if e not in compliant]
        lot_results.append(lot_result)
    return Results(call_off=call_off, lots=lot_results, unmoderated=unmoderated, bids=base)


def _score_lines(call_off, result: BidResult) -> list[str]:
    from .services import criteria

    lines = []
    for question in criteria(call_off):
        score = result.consensus.get(question.pk if question else None)
        name = _("Question %(n)s") % {"n": question.position} if question else _("Social value")
        if score is None:
            lines.append(f"  {name}: " + _("not scored"))
        else:
            lines.append(f"  {name}: {score.score} / {MAX_SCORE}. {score.reason}")
    lines.append("  " + _("Quality: %(points)s points") % {"points": show(result.quality)})
    if call_off.social_value_weight:
        lines.append("  " + _("Social value: %(points)s points") % {"points": show(result.social_value)})
    lines.append(
        "  "
        + _("Price: %(price)s, %(points)s points")
        % {"price": format_pence(result.price_pence), "points": show(result.price)}
    )
    lines.append("  " + _("Total: %(points)s points out of 100") % {"points": show(result.total)})
    return lines


def letter(results: Results, bid, call_off) -> str:
    """The award letter for one bidder: plain text, kept on AwardLetter and shown in the service."""
    lines = [
        _("Outcome of %(title)s (%(reference)s)") % {"title": call_off.title, "reference": call_off.reference},
        "",
        _("Dear %(org)s,") % {"org": bid.organisation.name},
        "",
        _(
            "Thank you for your bid. This letter tells you the outcome for each lot you bid for, your scores and the "
            "reasons for them, and the winning bid's scores."
        ),
        "",
    ]
    for lot_result, result in results.for_bid(bid):
        winner = lot_result.winner
        lines.append(_("Lot %(n)s: %(name)s") % {"n": lot_result.lot.position, "name": lot_result.lot.name})
        if result.excluded:
            lines.append(_("Your bid was not considered: %(why)s.") % {"why": result.excluded})
        elif winner is not None and winner.bid.pk == bid.pk:
            lines.append(_("Your bid ranked first. We intend to award this lot to you."))
        else:
            lines.append(
                _("Your bid ranked %(rank)s of %(count)s.") % {"rank": result.rank, "count": len(lot_result.ranked)}
            )
        lines.append(_("Your scores:"))
        lines.extend(_score_lines(call_off, result))
        if winner is not None and winner.bid.pk != bid.pk:
            lines.append(_("The winning bid's scores:"))
            lines.extend(_score_lines(call_off, winner))
        lines.append("")
    lines += [
        _("How ties are broken: %(rule)s") % {"rule": TIE_BREAK_RULE},
        "",
        _(
            "The standstill period ends at %(when)s. Before then you can ask us about this decision or challenge it. "
            "The award is confirmed only after it ends."
        )
        % {"when": format_uk_datetime(call_off.standstill_ends_at)},
        "",
        _("Letter sent %(date)s.") % {"date": format_uk_date(call_off.award_approved_at)},
    ]
    return "\n".join(lines)
