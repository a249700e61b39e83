"""See views/__init__.py."""

urlpatterns = []
