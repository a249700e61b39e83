import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.organisations import identifiers


@pytest.mark.parametrize(
    ("scheme", "typed", "stored"),
    [
        ("GB-CHC", "1123456", "1123456"),
        ("GB-CHC", " 212 345 ", "212345"),
        ("GB-CHC", "GB-CHC-1123456", "1123456"),
        ("GB-COH", "01234567", "01234567"),
        ("GB-COH", "1234567", "01234567"),
        ("GB-COH", "sc123456", "SC123456"),
        ("GB-COH", "RC000123", "RC000123"),
        ("GB-COH", "R0012345", "R0012345"),
        ("GB-MPR", "31433R", "31433R"),
        ("GB-MPR", "7834", "7834"),
        ("GB-SC", "SC012345", "SC012345"),
        ("GB-SC", "sc 012345", "SC012345"),
        ("GB-NIC", "100002", "100002"),
        ("GB-NIC", "NIC100002", "100002"),
    ],
)
def test_valid_identifiers_are_normalised(scheme, typed, stored):
    assert identifiers.normalise(scheme, typed) == stored


@pytest.mark.parametrize(
    ("scheme", "typed"),
    [
        ("GB-CHC", "12345"),
        ("GB-CHC", "123456789"),
        ("GB-CHC", "1123456-1"),
        ("GB-CHC", "SC012345"),
        ("GB-COH", "123456789"),
        ("GB-COH", "S1234567"),
        ("GB-COH", "SCX12345"),
        ("GB-MPR", "1234567"),
        ("GB-MPR", "R123"),
        ("GB-SC", "012345"),
        ("GB-SC", "SC12345"),
        ("GB-NIC", "12345"),
        ("GB-NIC", "NIC1000021"),
        ("GB-CHC", ""),
    ],
)
def test_invalid_identifiers_are_refused_with_a_message(scheme, typed):
    with pytest.raises(ValidationError) as exc:
        identifiers.normalise(scheme, typed)
    assert "identifier" in exc.value.message_dict


def test_unknown_scheme_is_refused():
    with pytest.raises(ValidationError) as exc:
        identifiers.normalise("GB-XYZ", "123")
    assert "scheme" in exc.value.message_dict


def test_parse_org_id():
    assert identifiers.parse_org_id("gb-coh-sc123456") == ("GB-COH", "SC123456")
    assert identifiers.parse_org_id("GB-SC-SC012345") == ("GB-SC", "SC012345")
    assert identifiers.parse_org_id("GB-NIC-NIC100002") == ("GB-NIC", "100002")
    with pytest.raises(ValidationError, match="not an identifier we recognise"):
        identifiers.parse_org_id("1123456")
    with pytest.raises(ValidationError, match="6 to 8 digits"):
        identifiers.parse_org_id("GB-CHC-12")


def test_org_id_and_register_links():
    assert identifiers.org_id("GB-CHC", "1123456") == "GB-CHC-1123456"
    assert identifiers.register_url("GB-COH", "01234567").endswith("/company/01234567")
    assert identifiers.register_url("GB-MPR", "31433R") == ""
