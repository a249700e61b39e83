"""The call-offs API: opportunities (public), and the whole competition for those allowed to take part."""


def register(router) -> None:
    """Add this app's routes to the API router."""
