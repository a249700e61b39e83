"""Dynamic Framework: commissioning probation rehabilitative services in England and Wales."""
