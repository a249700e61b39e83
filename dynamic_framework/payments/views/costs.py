"""Payments pages: costs (being built)."""

urlpatterns = []
