"""How personal data is shown where it must not be read in full: on pages, in exports, on a posted 公示 list."""


def mask_account(account: str) -> str:
    """A bank account with all but its last four digits starred (a payee recognises their card by them)."""
    return f"{'*' * max(len(account) - 4, 0)}{account[-4:]}" if account else ""


def mask_name(name: str) -> str:
    """张*明, 李*, 欧阳**锋: the first and last character kept (the first alone for two), the rest starred — as
    public notices (公示) print names, so neighbours recognise the person and strangers learn little."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
