"""Payments pages: simulator (being built)."""

urlpatterns = []
