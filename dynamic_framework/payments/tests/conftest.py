"""Fixtures for the payments tests. Each part imports its fixtures in its own section."""

# Costs part
from .costs_fixtures import cw  # noqa: F401
