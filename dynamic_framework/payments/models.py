"""Payments: what a contract pays and how (its terms), what each supply chain member is owed under its subcontract,
monthly payment statements from delivery figures, and providers' full-cost-recovery checks.

The arithmetic lives in engine.py (pure Python, integer pence, stated rounding); these models store its inputs and
results."""
