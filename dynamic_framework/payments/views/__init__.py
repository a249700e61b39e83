"""Payments pages, one module per part: statements (terms, statements, subcontractors' lines), simulator (the public
"who gets paid if..." page) and costs (the full-cost-recovery check). Each module has `urlpatterns`."""
