import csv
from pathlib import Path

import pytest

from dynamic_framework.contracts import importers

DATA = Path(importers.__file__).resolve().parent / "data"


@pytest.fixture
def refdata(db):
    from dynamic_framework.core.services import load_reference_data

    return load_reference_data()


@pytest.fixture
def awards_imported(refdata):
    return importers.import_awards_2021()


@pytest.fixture
def imported(awards_imported):
    return awards_imported, importers.import_hmpps_contracts()


@pytest.fixture
def edited_copy(tmp_path):
    """A copy of one of the shipped CSV files with some rows changed: edited_copy("awards_2021.csv", edit)
    where edit(rows) changes the list of row dicts in place. Returns the copy's path."""

    def make(name: str, edit) -> Path:
        with (DATA / name).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, list(reader)
        edit(rows)
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return make


# Supply chain (issue 6, supply_chain part): the `sc` fixture for test_supply_chain_*.py
from .supply_chain_fixtures import sc  # noqa: E402, F401
