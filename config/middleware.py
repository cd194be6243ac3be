import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

# A date part in a filter (the admin's date hierarchy: ?paid_on__year=…) must be a plausible number, not one that
# overflows the date type several layers down into a 500.
DATE_PART = re.compile(r"__(year|month|day)$")
DATE_PART_DIGITS = {"year": 4, "month": 2, "day": 2}


class MalformedParametersMiddleware(MiddlewareMixin):
    """Parameters no form could have sent are a 400 with a message, not a 500: a NUL anywhere in the query string
    or the form, a date part that is not a short number."""

    def process_request(self, request):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(_("请求参数中含有空字符（NUL），已拒绝。"))
        for key, value in request.GET.items():
            part = DATE_PART.search(key)
            if part and not (value.isdigit() and len(value) <= DATE_PART_DIGITS[part.group(1)]):
                return HttpResponseBadRequest(_("日期参数“{key}”不是有效的数字。").format(key=key))
        return None


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


DOWNLOAD_TOKEN = re.compile(r"^[A-Za-z0-9]{8,32}$")


class DownloadDoneMiddleware(MiddlewareMixin):
    """A download link marked `data-working` (app.js) adds `download_token=…`; when the file is ready, its response
    sets the cookie `download_<token>`, so the page can stop showing "正在生成…". A browser gives a page no other
    sign that an attachment has arrived."""

    def process_response(self, request, response):
        token = request.GET.get("download_token", "")
        if DOWNLOAD_TOKEN.match(token) and response.get("Content-Disposition", "").startswith("attachment"):
            response.set_cookie(f"download_{token}", "1", max_age=120, samesite="Lax", secure=request.is_secure())
        return response
