"""Writes that belong to the whole platform."""

from django.db import transaction

from . import audit
from .reference_data import LoadResult


def load_reference_data(*, actor=None, loaders=None) -> list[LoadResult]:
    """Load every reference data file, in dependency order. Each file loads whole or not at all.

    An audit event is written for each file that changed something; a second run writes nothing.
    """
    from dynamic_framework.categories.loaders import LOADERS as CATEGORY_LOADERS
    from dynamic_framework.geography.loaders import LOADERS as GEOGRAPHY_LOADERS
    from dynamic_framework.organisations import loaders as organisation_loaders
    from dynamic_framework.qualification.loaders import LOADERS as QUALIFICATION_LOADERS

    loaders = loaders or [
        *GEOGRAPHY_LOADERS,
        *CATEGORY_LOADERS,
        *getattr(organisation_loaders, "LOADERS", []),
        *QUALIFICATION_LOADERS,
    ]
    results = []
    for loader in loaders:
        with transaction.atomic():
            result = loader()
            if result.changed:
                audit.record(
                    actor=actor or "system",
                    action="reference_data.loaded",
                    object_type="reference_data",
                    object_id=result.name,
                    after={
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "changes": result.changes[:200],
                    },
                )
        results.append(result)
    return results
