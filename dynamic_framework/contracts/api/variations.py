"""API routes for variations."""


def register(router) -> None:
    """Add these routes to the API router."""
