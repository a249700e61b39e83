from pathlib import Path

import pytest

from dynamic_framework.categories import loaders as category_loaders
from dynamic_framework.categories.models import ComplexityLevel, DesiredOutcome, ReferralCategory, ServiceCategory
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.core.reference_data import ReferenceDataError
from dynamic_framework.core.services import load_reference_data
from dynamic_framework.geography import loaders as geography_loaders
from dynamic_framework.geography.models import PccArea, ProbationDeliveryUnit, Region

pytestmark = pytest.mark.django_db


def test_loads_the_real_reference_data(reference_data):
    assert Region.objects.count() == 12
    assert PccArea.objects.count() == 42
    assert ProbationDeliveryUnit.objects.count() == 108
    assert ServiceCategory.objects.count() == 14
    assert ReferralCategory.objects.filter(core_category__isnull=True).count() == 8
    assert set(ServiceCategory.objects.values_list("kind", flat=True)) == {"need", "cohort"}
    assert ServiceCategory.objects.filter(kind="cohort").count() == 3
    assert PccArea.objects.get(slug="gwent").region.nation == "Wales"
    assert Region.objects.get(code="D").pcc_areas.count() == 4
    assert DesiredOutcome.objects.filter(retired_on__isnull=False).count() > 0
    assert DesiredOutcome.objects.filter(retired_on__isnull=True).count() > 0
    assert ComplexityLevel.objects.count() == 102
    women = ServiceCategory.objects.get(slug="women")
    assert women.referral_categories.count() == 8
    accommodation = ServiceCategory.objects.get(number=1)
    assert list(accommodation.referral_categories.values_list("name", flat=True)) == ["Accommodation"]
    london_dr = ReferralCategory.objects.get(name="Dependency and Recovery (London)")
    assert london_dr.core_category.name == "Dependency and Recovery (D&R)"


def test_second_load_changes_nothing_and_writes_no_audit_event(reference_data):
    events = AuditEvent.objects.count()
    assert events >= 7
    again = load_reference_data()
    assert all(not r.changed for r in again)
    assert AuditEvent.objects.count() == events


def test_a_changed_file_updates_only_what_changed(reference_data, tmp_path):
    source = geography_loaders.DATA_DIR / "regions.csv"
    text = source.read_text().replace("A,North East,", "A,North-East,")
    changed = tmp_path / "regions.csv"
    changed.write_text(text)
    result = geography_loaders.load_regions(changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 11)
    assert Region.objects.get(code="A").name == "North-East"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("code,name,slug,nation\nA,North East,north-east,England\nb,Bad,bad,England\n", 3, "one capital letter"),
        ("code,name,slug,nation\nA,North East,north-east,Scotland\n", 2, "England or Wales"),
        ("code,name,slug,nation\nA,North East,north-east,England\nA,Again,again,England\n", 3, "duplicate code"),
        ("code,name,slug,nation\nA,,north-east,England\n", 2, "name is empty"),
        ("code,name,slug\nA,North East,north-east\n", 1, "missing column(s): nation"),
        ("code,name,slug,nation\n", 1, "no rows"),
    ],
)
def test_a_bad_row_stops_the_load_with_file_line_and_reason_and_loads_nothing(tmp_path, text, line, reason):
    path = _write(tmp_path, "regions.csv", text)
    with pytest.raises(ReferenceDataError) as info:
        geography_loaders.load_regions(path)
    assert info.value.line == line
    assert reason in info.value.reason
    assert str(path) in str(info.value)
    assert Region.objects.count() == 0


def test_a_bad_row_late_in_a_file_loads_nothing_from_that_file(reference_data, tmp_path):
    rows = (geography_loaders.DATA_DIR / "pcc_areas.csv").read_text().splitlines()
    rows[1] = rows[1].replace("Cleveland", "Cleveland (renamed)")
    rows.append("nowhere,Nowhere,Z")
    path = _write(tmp_path, "pcc_areas.csv", "\n".join(rows) + "\n")
    with pytest.raises(ReferenceDataError, match=r"line 44: unknown region code 'Z'"):
        geography_loaders.load_pcc_areas(path)
    assert PccArea.objects.filter(name="Cleveland").exists()
    assert not PccArea.objects.filter(slug="nowhere").exists()


def test_bad_outcome_date_and_unknown_category(reference_data, tmp_path):
    path = _write(
        tmp_path,
        "desired_outcomes.csv",
        "hmpps_id,referral_category,description,retired_at\n"
        "3ecf4b60-7973-419a-b8c3-ef54b078ef00,Accommodation,Something,31/03/2025\n",
    )
    with pytest.raises(ReferenceDataError, match="line 2: retired_at '31/03/2025' is not a date"):
        category_loaders.load_desired_outcomes(path)
    path = _write(
        tmp_path,
        "complexity_levels.csv",
        "referral_category,level,title,description\nNope,LOW,Low,Text\n",
    )
    with pytest.raises(ReferenceDataError, match="unknown referral category 'Nope'"):
        category_loaders.load_complexity_levels(path)


def test_load_reference_data_command_reports_a_bad_file(db, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    bad = _write(tmp_path, "regions.csv", "code,name,slug,nation\nAA,X,x,England\n")
    monkeypatch.setattr(geography_loaders.load_regions.__wrapped__, "__defaults__", (bad,))
    with pytest.raises(CommandError, match="line 2"):
        call_command("load_reference_data")
