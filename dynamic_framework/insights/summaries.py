"""One plain-English sentence for each table, worked out from its numbers (never written by hand)."""

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .figures import Share, display, short_money

# Shares close to a simple fraction are said in words ("about two thirds"); within 3 percentage points.
WORDS = [
    (Fraction(1, 10), gettext_lazy("about one in ten")),
    (Fraction(1, 5), gettext_lazy("about a fifth")),
    (Fraction(1, 4), gettext_lazy("about a quarter")),
    (Fraction(1, 3), gettext_lazy("about a third")),
    (Fraction(1, 2), gettext_lazy("about half")),
    (Fraction(2, 3), gettext_lazy("about two thirds")),
    (Fraction(3, 4), gettext_lazy("about three quarters")),
    (Fraction(4, 5), gettext_lazy("about four fifths")),
    (Fraction(9, 10), gettext_lazy("about nine in ten")),
]
CLOSE = Fraction(3, 100)


def in_words(share: Share | None) -> str:
    """'about two thirds' when the share is within 3 points of a simple fraction, else '64%'."""
    if share is None or not share.known:
        return _("an unknown share")
    if share.numerator == share.denominator:
        return _("all")
    if share.numerator == 0:
        return _("none")
    fraction = share.fraction
    for target, words in WORDS:
        if abs(fraction - target) <= CLOSE:
            return str(words)
    return str(share)


def names(items: list[str]) -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def money(pence) -> str:
    return short_money(pence) if pence is not None else _("an unknown amount")


def lot_types(table, lot_types, total) -> str:
    rows = [table.row(lt) for lt in lot_types]
    if not rows:
        return _("There are no contracts in this selection.")
    if not total:
        biggest = max(rows, key=lambda r: r.cells["contracts"].value)
        return _("%(lot)s has the most contracts (%(count)s); no award values are published for this selection.") % {
            "lot": biggest.cells["lot_type"].value,
            "count": biggest.cells["contracts"].value,
        }
    biggest = max(rows, key=lambda r: r.cells["value"].value or 0)
    return _("%(lot)s has the most money: %(value)s of %(total)s (%(share)s), across %(count)s contracts.") % {
        "lot": biggest.cells["lot_type"].value,
        "value": money(biggest.cells["value"].value),
        "total": money(total),
        "share": biggest.cells["value_share"].value,
        "count": biggest.cells["contracts"].value,
    }


def voluntary_by_lot_type(table, lot_types) -> str:
    parts = []
    for lt in lot_types:
        share = table.value(lt, "voluntary_contract_share")
        parts.append(
            _("%(part)s of %(whole)s %(lot)s contracts")
            % {"part": share.numerator, "whole": share.denominator, "lot": table.value(lt, "lot_type").lower()}
        )
    if not parts:
        return _("There are no contracts in this selection.")
    return _("Voluntary and community organisations won %(parts)s.") % {"parts": names(parts)}


def regions(table, regions, total) -> str:
    if not regions:
        return _("There are no contracts in this selection.")
    if len(regions) == 1:
        region = regions[0]
        return _("All %(count)s contracts here are in %(region)s.") % {
            "count": table.value(region.code, "contracts"),
            "region": region.name,
        }
    if not total:
        biggest = max(regions, key=lambda r: table.value(r.code, "contracts"))
        return _("%(region)s has the most contracts (%(count)s).") % {
            "region": biggest.name,
            "count": table.value(biggest.code, "contracts"),
        }
    biggest = max(regions, key=lambda r: table.value(r.code, "value") or 0)
    smallest = min(regions, key=lambda r: table.value(r.code, "value") or 0)
    return _("%(big)s has the most money (%(big_value)s) and %(small)s the least (%(small_value)s).") % {
        "big": biggest.name,
        "big_value": money(table.value(biggest.code, "value")),
        "small": smallest.name,
        "small_value": money(table.value(smallest.code, "value")),
    }


def lead_sectors(table, lead_count) -> str:
    if not lead_count:
        return _("There are no lead providers in this selection.")
    leads = table.value("voluntary_and_community", "lead_share")
    value = table.value("voluntary_and_community", "value_share")
    if value is None:
        return _("Voluntary and community organisations are %(part)s of the %(whole)s lead providers (%(share)s).") % {
            "part": leads.numerator,
            "whole": leads.denominator,
            "share": leads,
        }
    if value.known and leads.known and value.fraction < leads.fraction - Fraction(5, 100):
        text = _(
            "Voluntary and community organisations are %(part)s of the %(whole)s lead providers (%(share)s) but hold "
            "%(value_words)s of the money (%(value_share)s)."
        )
    else:
        text = _(
            "Voluntary and community organisations are %(part)s of the %(whole)s lead providers (%(share)s) and hold "
            "%(value_words)s of the money (%(value_share)s)."
        )
    return text % {
        "part": leads.numerator,
        "whole": leads.denominator,
        "share": leads,
        "value_words": in_words(value),
        "value_share": value,
    }


def lead_providers(table) -> str:
    if not table.rows:
        return _("There are no lead providers in this selection.")
    first = table.rows[0]
    value = first.cells["value"].value
    if value is None:
        return _("%(name)s leads the most contracts here (%(count)s).") % {
            "name": first.cells["provider"].value,
            "count": first.cells["contracts"].value,
        }
    return _("%(name)s holds the most money: %(value)s (%(share)s) across %(count)s contracts.") % {
        "name": first.cells["provider"].value,
        "value": money(value),
        "share": first.cells["value_share"].value,
        "count": first.cells["contracts"].value,
    }


def supply_chain_figures(table) -> str:
    members = table.value("organisations", "value")
    if not members:
        return _("No organisations are recorded in the supply chains of these contracts.")
    return _(
        "%(members)s organisations hold %(places)s places in supply chains; %(none)s contracts have no one in their "
        "supply chain and %(few)s have only one or two."
    ) % {
        "members": members,
        "places": table.value("places", "value"),
        "none": table.value("contracts_none", "value"),
        "few": table.value("contracts_one_or_two", "value"),
    }


def supply_chain_sizes(table, contract_count) -> str:
    if not contract_count:
        return _("There are no contracts in this selection.")
    none = table.value("none", "contracts")
    few = table.value("one", "contracts") + table.value("two", "contracts")
    return _("%(none)s of %(total)s contracts have no one in their supply chain, and %(few)s have one or two.") % {
        "none": none,
        "total": contract_count,
        "few": few,
    }


def supply_chain_sectors(table, member_count) -> str:
    if not member_count:
        return _("No organisations are recorded in the supply chains of these contracts.")
    voluntary = table.value("voluntary_and_community", "organisations")
    unknown = table.value("unknown", "organisations")
    text = _("%(voluntary)s of the %(total)s organisations in supply chains are voluntary and community organisations")
    values = {"voluntary": voluntary, "total": member_count}
    if unknown:
        text += _("; the sector of %(unknown)s is not known yet")
        values["unknown"] = unknown
    return (text + ".") % values


def size_bands(small, unknown, places) -> str:
    if not places:
        return _("No organisations are recorded in the supply chains of these contracts.")
    if not unknown:
        return _(
            "Small organisations (income under £1 million) hold %(small)s of %(places)s places in supply chains "
            "(%(share)s)."
        ) % {"small": small, "places": places, "share": Share(small, places)}
    known = places - unknown
    return _(
        "The size of the organisations in %(unknown)s of %(places)s places in supply chains is not recorded yet; of "
        "the %(known)s places whose holder's size is recorded, small organisations (income under £1 million) hold "
        "%(small)s."
    ) % {"unknown": unknown, "places": places, "known": known, "small": small}


def repeat_partners(table, member_count) -> str:
    if not table.rows:
        return _("No organisation is in the supply chains of that many contract areas.")
    first = table.rows[0]
    return ngettext(
        "%(count)s organisation is in the supply chains of many areas; %(name)s is in the most (%(areas)s).",
        "%(count)s organisations are in the supply chains of many areas; %(name)s is in the most (%(areas)s).",
        len(table.rows),
    ) % {"count": len(table.rows), "name": first.cells["organisation"].value, "areas": first.cells["areas"].value}


def concentration(table, lot_types) -> str:
    rows = [r for r in table.rows if r.key in lot_types and r.cells["hhi"].value is not None]
    if not rows:
        return _("No award values are published for this selection, so concentration cannot be measured.")
    most = max(rows, key=lambda r: r.cells["hhi"].value)
    least = min(rows, key=lambda r: r.cells["hhi"].value)
    if most is least:
        return _("In %(lot)s the five largest lead providers hold %(share)s of the value (HHI %(hhi)s).") % {
            "lot": most.cells["lot_type"].value.lower(),
            "share": most.cells["top_share"].value,
            "hhi": f"{most.cells['hhi'].value:,}",
        }
    return _(
        "%(most)s is the most concentrated (the five largest lead providers hold %(share)s of the value, HHI "
        "%(hhi)s) and %(least)s the least (HHI %(least_hhi)s)."
    ) % {
        "most": most.cells["lot_type"].value,
        "share": most.cells["top_share"].value,
        "hhi": f"{most.cells['hhi'].value:,}",
        "least": least.cells["lot_type"].value.lower(),
        "least_hhi": f"{least.cells['hhi'].value:,}",
    }


def top_providers(table) -> str:
    firsts = [r for r in table.rows if r.cells["rank"].value == 1]
    if not firsts:
        return _("No award values are published for this selection.")
    parts = [
        _("%(name)s in %(lot)s (%(share)s)")
        % {
            "name": r.cells["provider"].value,
            "lot": r.cells["lot_type"].value.lower(),
            "share": r.cells["value_share"].value,
        }
        for r in firsts
    ]
    return _("The largest lead provider by value is %(parts)s.") % {"parts": names(parts)}


def wales(contracts, leads, welsh_leads, members, welsh_members) -> str:
    if not contracts:
        return _("There are no contracts in Wales in this selection.")
    if welsh_leads:
        lead_text = ngettext(
            "%(count)s of the %(total)s lead providers in Wales is a Welsh organisation (%(names)s)",
            "%(count)s of the %(total)s lead providers in Wales are Welsh organisations (%(names)s)",
            len(welsh_leads),
        ) % {"count": len(welsh_leads), "total": leads, "names": names(welsh_leads)}
    else:
        lead_text = ngettext(
            "The lead provider in Wales is not a Welsh organisation",
            "None of the %(total)s lead providers in Wales is a Welsh organisation",
            leads,
        ) % {"total": leads}
    if welsh_members:
        member_text = ngettext(
            "%(count)s Welsh organisation has a place in supply chains there (%(names)s)",
            "%(count)s Welsh organisations have places in supply chains there (%(names)s)",
            len(welsh_members),
        ) % {"count": len(welsh_members), "names": names(welsh_members)}
    else:
        member_text = _("no Welsh organisation has a place in supply chains there")
    return f"{lead_text}; {member_text}."


def wales_organisations(count, welsh) -> str:
    if not count:
        return _("There are no contracts in Wales in this selection.")
    return ngettext(
        "%(count)s organisation holds a contract or a place in a supply chain in Wales, %(welsh)s of them Welsh.",
        "%(count)s organisations hold contracts or places in supply chains in Wales, %(welsh)s of them Welsh.",
        count,
    ) % {"count": count, "welsh": welsh}


def specialisms(table, womens, racially_minoritised) -> str:
    parts = []
    for slug in (womens, racially_minoritised):
        try:
            row = table.row(slug)
        except KeyError:
            continue
        parts.append(
            _("%(name)s: %(leads)s lead providers and %(members)s organisations in supply chains")
            % {
                "name": row.cells["specialism"].value,
                "leads": row.cells["lead_providers"].value,
                "members": row.cells["supply_chain_organisations"].value,
            }
        )
    if not parts:
        return _("No specialisms are recorded.")
    return "; ".join(parts) + "."


def specialist_organisations(table) -> str:
    return ngettext(
        "%(count)s organisation here has a recorded specialism.",
        "%(count)s organisations here have a recorded specialism.",
        len(table.rows),
    ) % {"count": len(table.rows)}


def coverage(areas, lot_types, gaps) -> str:
    cells = areas * lot_types
    if not cells:
        return _("There is nothing to show for this selection.")
    if not gaps:
        return _("Every one of the %(cells)s combinations of PCC area and lot type here has a contract.") % {
            "cells": cells
        }
    return ngettext(
        "%(gaps)s of the %(cells)s combinations of PCC area and lot type has no contract.",
        "%(gaps)s of the %(cells)s combinations of PCC area and lot type have no contract.",
        len(gaps),
    ) % {"gaps": len(gaps), "cells": cells}


def end_dates(table) -> str:
    if not table.rows:
        return _("There are no contracts in this selection.")
    rows = sorted(table.rows, key=lambda r: -r.cells["contracts"].value)[:3]
    parts = []
    for i, row in enumerate(rows):
        end = row.cells["end_date"]
        values = {"count": row.cells["contracts"].value, "date": display(end.value, end.unit)}
        if i == 0:
            parts.append(
                ngettext("%(count)s contract ends on %(date)s", "%(count)s contracts end on %(date)s", values["count"])
                % values
            )
        else:
            parts.append(_("%(count)s on %(date)s") % values)
    return names(parts) + "."


def supply_chain_sizes_by_lot_type(table, lot_types) -> str:
    rows = [table.row(lt) for lt in lot_types]
    if not rows:
        return _("There are no contracts in this selection.")

    def thinness(row):
        contracts = row.cells["contracts"].value
        return Share(row.cells["places"].value, contracts).fraction if contracts else 0

    thinnest = min(rows, key=thinness)
    contracts = thinnest.cells["contracts"].value
    return _(
        "%(lot)s contracts have the thinnest supply chains: %(places)s places across %(contracts)s contracts, and "
        "%(none)s with no one in the supply chain."
    ) % {
        "lot": thinnest.cells["lot_type"].value,
        "places": thinnest.cells["places"].value,
        "contracts": contracts,
        "none": thinnest.cells["none"].value,
    }
