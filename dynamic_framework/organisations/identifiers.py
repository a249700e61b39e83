"""Organisation identifiers in org-id form (https://org-id.guide): a scheme prefix and the register's number.

What we accept for each scheme (after removing spaces and making letters capitals):

- GB-CHC  Charity Commission for England and Wales: the registered charity number, 6 to 8 digits
          (numbers are 6 or 7 digits today, e.g. 1123456; 8 leaves room). A linked charity's suffix
          ("1123456-1") is not an organisation identifier, so it is refused.
- GB-COH  Companies House: the 8-character company number. Either 8 digits (a shorter all-digit number is
          padded with leading zeros, as Companies House does: 1234567 -> 01234567) or 2 capital letters and
          6 digits for the other registers (SC Scotland, NI Northern Ireland, OC/SO/NC LLPs, RC royal charter,
          IP/SP/NP societies and so on), or R0 and 6 digits (older Northern Ireland companies).
- GB-MPR  Mutuals Public Register (the FCA register of co-operative and community benefit societies):
          the society's register number, 1 to 6 digits, with an R suffix on older registrations (e.g. 31433R).
- GB-SC   Office of the Scottish Charity Regulator: SC and 6 digits (e.g. SC012345).
- GB-NIC  Charity Commission for Northern Ireland: the 6-digit number (100000 to 199999 today). It is often
          written with an NIC prefix (NIC100002); we store it without the prefix, as org-id does.

Each identifier is stored as (scheme, identifier) and shown as "GB-CHC-1123456".
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCHEMES = {
    "GB-CHC": _("Charity Commission for England and Wales"),
    "GB-COH": _("Companies House"),
    "GB-MPR": _("Mutuals Public Register (Financial Conduct Authority)"),
    "GB-SC": _("Office of the Scottish Charity Regulator"),
    "GB-NIC": _("Charity Commission for Northern Ireland"),
}
SCHEME_CHOICES = list(SCHEMES.items())

_PATTERNS = {
    "GB-CHC": (re.compile(r"^[0-9]{6,8}$"), _("A charity number in England and Wales is 6 to 8 digits, like 1123456")),
    "GB-COH": (
        re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})$"),
        _("A company number is 8 digits, or 2 letters and 6 digits, like 01234567 or SC123456"),
    ),
    "GB-MPR": (
        re.compile(r"^[0-9]{1,6}R?$"),
        _("A Mutuals Public Register number is up to 6 digits, sometimes ending in R, like 31433R"),
    ),
    "GB-SC": (re.compile(r"^SC[0-9]{6}$"), _("A Scottish charity number is SC and 6 digits, like SC012345")),
    "GB-NIC": (re.compile(r"^[0-9]{6}$"), _("A Northern Ireland charity number is 6 digits, like 100002")),
}

# Register pages people can follow from a profile. Only for the registers with a stable public URL per number.
_REGISTER_URLS = {
    "GB-CHC": "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{id}",
    "GB-COH": "https://find-and-update.company-information.service.gov.uk/company/{id}",
    "GB-SC": "https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number={id}",
}

# Used in a database check constraint too, so a bad scheme cannot be stored by any route.
SCHEME_CODES = list(SCHEMES)


def normalise(scheme: str, identifier: str) -> str:
    """The stored form of `identifier` in `scheme`, or ValidationError with a message for the identifier field."""
    if scheme not in SCHEMES:
        raise ValidationError({"scheme": _("Choose a register from the list")})
    value = re.sub(r"\s+", "", identifier or "").upper()
    if value.startswith(scheme + "-"):
        value = value[len(scheme) + 1 :]
    if not value:
        raise ValidationError({"identifier": _("Enter the number")})
    if scheme == "GB-COH" and value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    if scheme == "GB-NIC" and value.startswith("NIC"):
        value = value[3:]
    pattern, message = _PATTERNS[scheme]
    if not pattern.match(value):
        raise ValidationError({"identifier": message})
    return value


def parse_org_id(text: str) -> tuple[str, str]:
    """'GB-CHC-1123456' -> ('GB-CHC', '1123456'); ValidationError if the scheme is unknown or the number bad."""
    value = re.sub(r"\s+", "", text or "").upper()
    for scheme in sorted(SCHEMES, key=len, reverse=True):
        if value.startswith(scheme + "-"):
            try:
                return scheme, normalise(scheme, value[len(scheme) + 1 :])
            except ValidationError as exc:
                messages = [str(m) for msgs in exc.message_dict.values() for m in msgs]
                raise ValidationError(f"{text.strip()}: {' '.join(messages)}") from exc
    raise ValidationError(
        _("%(text)s is not an identifier we recognise. Start it with one of %(schemes)s, like GB-CHC-1123456")
        % {"text": text.strip(), "schemes": ", ".join(SCHEMES)}
    )


def org_id(scheme: str, identifier: str) -> str:
    return f"{scheme}-{identifier}"


def register_url(scheme: str, identifier: str) -> str:
    template = _REGISTER_URLS.get(scheme)
    return template.format(id=identifier) if template else ""


# Which register a number typed without its scheme (on the registration page) is most likely from, by the
# organisation's legal form. Charities' numbers go to the charity registers (SC... is a Scottish charity,
# NIC... a Northern Ireland one); companies' to Companies House; societies' to the Mutuals Public Register.
# For the other forms (and "not sure") the number's shape decides: 8 characters is a company number, 6 or 7
# digits a charity number, digits ending in R a society. A number written with its scheme always wins.
_CHARITY_FORMS = {"registered_charity", "charitable_incorporated_organisation"}
_COMPANY_FORMS = {"private_company", "community_interest_company"}
_SOCIETY_FORMS = {"cooperative_or_community_benefit_society"}
_COMPANY_NUMBER_RE = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})$")


def _scheme_by_shape(value: str) -> str | None:
    if value.startswith("NIC"):
        return "GB-NIC"
    if _COMPANY_NUMBER_RE.match(value):
        return "GB-COH"
    if re.match(r"^[0-9]{6,7}$", value):
        return "GB-CHC"
    if re.match(r"^[0-9]{1,6}R$", value):
        return "GB-MPR"
    return None


def from_number(number: str, legal_form: str = "") -> tuple[str, str]:
    """(scheme, identifier) for a charity, company or society number typed on its own, like 1123456 or
    SC123456, or in org-id form. ValidationError (a message for the number's field) when it fits no register.
    """
    value = re.sub(r"\s+", "", number or "").upper()
    if any(value.startswith(scheme + "-") for scheme in SCHEMES):
        try:
            return parse_org_id(value)
        except ValidationError as exc:
            raise ValidationError(" ".join(exc.messages)) from exc
    if legal_form in _CHARITY_FORMS:
        scheme = "GB-SC" if value.startswith("SC") else "GB-NIC" if value.startswith("NIC") else "GB-CHC"
    elif legal_form in _COMPANY_FORMS:
        scheme = "GB-COH"
    elif legal_form in _SOCIETY_FORMS and not _COMPANY_NUMBER_RE.match(value):
        scheme = "GB-MPR"
    else:
        scheme = _scheme_by_shape(value)
    if scheme is None:
        raise ValidationError(
            _(
                "Enter a charity number, like 1123456, or a company number, like 01234567 or SC123456. "
                "Leave it empty if you do not know it"
            )
        )
    try:
        return scheme, normalise(scheme, value)
    except ValidationError as exc:
        raise ValidationError(" ".join(m for messages in exc.message_dict.values() for m in messages)) from exc
