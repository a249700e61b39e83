"""The qualification API: the framework, the public register and applications (for those allowed to see them)."""


def register(router) -> None:
    """Add this app's routes to the API router."""
