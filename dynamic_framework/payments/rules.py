"""Who may do what with payments. Each part adds its permissions in its own section below."""

import rules  # noqa: F401
