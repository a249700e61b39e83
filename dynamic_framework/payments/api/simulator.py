"""Payments API: simulator."""


def register(router) -> None:
    pass
