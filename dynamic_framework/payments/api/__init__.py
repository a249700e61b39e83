"""The payments API: statements and terms, the simulator, the full-cost-recovery check; one module each."""

from . import costs, simulator, statements


def register_routes(router) -> None:
    statements.register(router)
    simulator.register(router)
    costs.register(router)
