"""Permission matrix rows: see tests/matrix_rows/__init__.py and world.py for the objects they can use."""


def rows(m) -> list:
    return []
