"""Payments API: costs."""


def register(router) -> None:
    pass
