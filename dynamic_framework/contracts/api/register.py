"""API routes for register."""


def register(router) -> None:
    """Add these routes to the API router."""
