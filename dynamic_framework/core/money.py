"""Money is integer pence everywhere. These helpers parse and show it; nothing here uses floats."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The most any amount can be: far above any contract, far below what a database's 64-bit integer holds, so a typing
# slip (or 1e999999) is a clear message rather than an overflow.
MAX_POUNDS = Decimal(100_000_000_000)


class MoneyError(ValueError):
    pass


def parse_pounds(text: str) -> int:
    """'£1,234.5' -> 123450 pence. Rejects more than two decimal places and negative amounts."""
    if text is None:
        raise MoneyError("Enter an amount in pounds")
    cleaned = str(text).strip().replace(",", "").replace("£", "").replace(" ", "")
    if not cleaned:
        raise MoneyError("Enter an amount in pounds")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyError("Enter an amount in pounds, like 1500 or 1,500.50") from exc
    if not amount.is_finite():
        raise MoneyError("Enter an amount in pounds, like 1500 or 1,500.50")
    if amount < 0:
        raise MoneyError("Amount must be £0 or more")
    if amount >= MAX_POUNDS:
        raise MoneyError("Amount must be less than £100,000,000,000")
    if amount.as_tuple().exponent < -2:
        raise MoneyError("Amount must be in pounds and pence, with no more than 2 decimal places")
    return int(amount * 100)


def format_pence(pence: int | None, *, show_pence: bool | None = None) -> str:
    """123450 -> '£1,234.50'; whole pounds are shown without pence unless asked."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rem = divmod(abs(int(pence)), 100)
    if show_pence is None:
        show_pence = rem != 0
    if show_pence:
        return f"{sign}£{pounds:,}.{rem:02d}"
    return f"{sign}£{pounds:,}"


def format_pence_short(pence: int | None) -> str:
    """Approximate for headlines: 1234567800 -> '£12.3m'."""
    if pence is None:
        return ""
    pounds = Decimal(int(pence)) / 100
    for threshold, suffix in ((Decimal(1_000_000_000), "bn"), (Decimal(1_000_000), "m"), (Decimal(1_000), "k")):
        if abs(pounds) >= threshold:
            value = (pounds / threshold).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = f"{value:f}".rstrip("0").rstrip(".")
            return f"£{text}{suffix}"
    return format_pence(pence)


def pounds_text(pence: int | None) -> str:
    """Pence as pounds to type into a form box (no pound sign, no commas): 9000000 -> '90000', 12345 -> '123.45',
    0 -> '0'; None -> ''."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, rest = divmod(abs(int(pence)), 100)
    return f"{sign}{whole}.{rest:02d}" if rest else f"{sign}{whole}"


def percent_text(basis_points: int | None) -> str:
    """Basis points (10000 is 100%) as a percentage with no trailing zeros: 1500 -> '15', 1250 -> '12.5',
    1234 -> '12.34'; None or 0 -> ''."""
    if not basis_points:
        return ""
    whole, rest = divmod(int(basis_points), 100)
    return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")
