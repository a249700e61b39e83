"""supply_chain pages (see the module docstring once written)."""

urlpatterns: list = []
