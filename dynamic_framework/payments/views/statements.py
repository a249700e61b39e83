"""Payments pages: statements (being built)."""

urlpatterns = []
