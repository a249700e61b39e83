"""Fixtures for the payments tests. Each part imports its fixtures in its own section."""

# Costs part
from .costs_fixtures import cw  # noqa: F401

# Statements part
from .statements_fixtures import st  # noqa: E402, F401
