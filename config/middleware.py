from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Simplified Chinese unless the user picked another language in the menu (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which turns the interface into
    English for anyone with an English-language browser; here the default is the institution's language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class NoStoreMiddleware(MiddlewareMixin):
    """Signed-in pages may hold personal data (names, masked IDs, payments): no browser or proxy may keep a copy."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
            response.headers["Pragma"] = "no-cache"
        return response
