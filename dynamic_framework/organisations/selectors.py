def provider_count() -> int:
    return 0
