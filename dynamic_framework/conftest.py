"""Fixtures shared by the apps' tests."""

import pytest


@pytest.fixture
def reference_data(db):
    """Regions, PCC areas, delivery units, categories, outcomes and commissioning bodies (about 0.2s)."""
    from dynamic_framework.core.services import load_reference_data

    return load_reference_data()
