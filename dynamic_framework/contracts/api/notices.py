"""API routes for notices."""


def register(router) -> None:
    """Add these routes to the API router."""
