"""Permission matrix rows for the contract register: supply_chain (objects: contracts_world.py)."""


def rows(m) -> list:
    return []
