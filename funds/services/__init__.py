"""Every write goes through a service here: keyword-only, typed, atomic, `full_clean()` before save."""
