"""API routes for supply_chain."""


def register(router) -> None:
    """Add these routes to the API router."""
