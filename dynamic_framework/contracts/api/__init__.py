"""The contracts API: the register, variations, supply chains and notices, one module each."""

from . import notices, register, supply_chain, variations


def register_routes(router) -> None:
    register.register(router)
    variations.register(router)
    supply_chain.register(router)
    notices.register(router)
