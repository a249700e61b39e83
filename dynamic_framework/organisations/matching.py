"""Finding an organisation by a name as some source wrote it: its name or one of its other names.

Matching is exact after normalising typography only (curly quotes, dashes, spacing, capitals). It is never
fuzzy: "Catch 22" finds Catch22 only because "Catch 22" is recorded as one of its other names. A name that
matches nothing is reported by the caller, never guessed.
"""

import unicodedata

from .models import Organisation, OrganisationAlias

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (the curly apostrophe)
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",  # no-break space
    }
)


def normalise_name(value: str) -> str:
    """The name with straight quotes and single spaces (as stored)."""
    text = unicodedata.normalize("NFKC", value or "").translate(_TYPOGRAPHY)
    return " ".join(text.split())


def name_key(value: str) -> str:
    """What two spellings must share to be the same name: normalised and case-folded."""
    return normalise_name(value).casefold()


class NameIndex:
    """Every organisation's name and other names, loaded once (two queries), for looking names up in bulk."""

    def __init__(self, queryset=None):
        orgs = {org.pk: org for org in (queryset if queryset is not None else Organisation.objects.all())}
        self._by_key: dict[str, Organisation] = {}
        self.ambiguous: set[str] = set()
        pairs = [(org.name, org.pk) for org in orgs.values()]
        pairs += list(OrganisationAlias.objects.filter(organisation_id__in=orgs).values_list("name", "organisation_id"))
        for name, org_id in pairs:
            key = name_key(name)
            other = self._by_key.get(key)
            if other is not None and other.pk != org_id:
                self.ambiguous.add(key)
            self._by_key[key] = orgs[org_id]

    def find(self, name: str) -> Organisation | None:
        """The one organisation with this name or other name; None when there is none (or more than one)."""
        key = name_key(name)
        if not key or key in self.ambiguous:
            return None
        return self._by_key.get(key)
