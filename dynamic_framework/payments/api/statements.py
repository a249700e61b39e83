"""Payments API: statements."""


def register(router) -> None:
    pass
