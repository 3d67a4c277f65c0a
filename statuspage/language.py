"""English and Welsh, chosen by the reader: the URL says which (/cy/… is Welsh).

Never the browser's Accept-Language: one URL gives one answer, so shared caches, the CDN and
the static snapshot need no Vary, and a reader who picked a language keeps it on every link.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

WELSH = "cy"


def code(language: str) -> str:
    """Our two languages as Django knows them: "cy", or the site's English ("en-gb")."""
    return WELSH if language == WELSH else settings.LANGUAGE_CODE


def of_path(path: str) -> str:
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


class UrlLanguageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        language = of_path(request.path_info)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread goes back to English after it.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def other_language(request) -> dict:
    """For the switch on every patient page: the same page in the other language."""
    here = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    there = settings.LANGUAGE_CODE if here == WELSH else WELSH
    # The path alone: a cached page is shared by everyone, so nothing a caller adds to the query
    # string may be written into it.
    here_url = request.path
    url = translate_url(here_url, there)
    return {
        "language": here,
        "html_lang": "cy" if here == WELSH else "en-GB",
        # Pages only in English (the console, the integrators' pages) offer no switch.
        "other_language_url": url if url != here_url else "",
        "other_language_name": "English" if there != WELSH else "Cymraeg",
        "other_language_code": "en" if there != WELSH else "cy",
    }
