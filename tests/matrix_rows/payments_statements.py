"""Permission matrix rows for payments: statements."""


def rows(m) -> list:
    return []
