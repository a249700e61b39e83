"""Who a contract's service is for, in plain words, from the cohort, sex and age facts the sources publish."""

COHORT_AGES = {"young_adults": (18, 25), "aged_26_plus": (26, None)}


def eligibility_text(
    *,
    cohort: str = "",
    allows_female: bool | None = None,
    allows_male: bool | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    note: str = "",
) -> str:
    """Like "Women aged 18 and over on probation" or "People aged 18 to 25 on probation"."""
    if allows_female and not allows_male:
        who = "Women"
    elif allows_male and not allows_female:
        who = "Men"
    elif allows_female and allows_male:
        who = "Women and men"
    else:
        who = "People"
    if min_age is None and max_age is None and cohort in COHORT_AGES:
        min_age, max_age = COHORT_AGES[cohort]
    if min_age is not None and max_age is not None:
        ages = f" aged {min_age} to {max_age}"
    elif min_age is not None:
        ages = f" aged {min_age} and over"
    elif max_age is not None:
        ages = f" aged up to {max_age}"
    else:
        ages = ""
    text = f"{who}{ages} on probation"
    note = (note or "").strip()
    if note:
        text += f". {note.rstrip('.')}."
    else:
        text += "."
    return text
