"""Personal data typed into a search box (a whole ID number) must not stay in the address bar, the browser history
or the next page's Referer. The first request is answered with a redirect whose search term is the masked form
plus a token; the token names the real term, kept in the session (the last few only) encrypted like any stored
personal data — the session table is not where a clear ID number may rest. List pages and the admin both go
through here."""

import secrets

from django.http import HttpRequest, HttpResponseRedirect

from core.crypto import decrypt, encrypt

SESSION_KEY = "search_tokens"
CONTEXT = "session.search-token"
KEPT = 20


def redirect_without_term(request: HttpRequest, *, parameter: str, term: str, masked: str) -> HttpResponseRedirect:
    """The same page, its `parameter` replaced by `masked#token`; the term is kept in the session under the token."""
    token = secrets.token_urlsafe(8)
    kept = list(request.session.get(SESSION_KEY, {}).items())[-(KEPT - 1) :]
    request.session[SESSION_KEY] = dict(kept) | {token: encrypt(term, context=CONTEXT)}
    query = request.GET.copy()
    query[parameter] = f"{masked}#{token}"
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


def term_behind(request: HttpRequest | None, value: str) -> str:
    """The real term behind `masked#token` (this session's only); any other value as it is."""
    masked, _sep, token = value.rpartition("#")
    if not masked or not token or request is None:
        return value
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None:
        return value
    try:
        return decrypt(stored, context=CONTEXT)
    except ValueError:  # written under a key since rotated away: the search is simply not found again
        return value
