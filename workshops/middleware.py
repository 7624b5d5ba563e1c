"""Refuse requests no page of the site can take, before anything reads them further.

- Bodies larger than any form takes: Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but
  not uploaded files: a POST of any size, to any URL, was read and spooled to a temporary file
  by the CSRF check before a view could refuse it. The largest thing the site accepts is a
  ratings file of 5 MB.
- NUL characters in the path, a query parameter or a form field (name or value): no field of
  the site takes one, and PostgreSQL refuses them in text, so each reached the database as a
  500 (issue 21: every one of the fuzzer's 500s). Uploaded files are not looked into (a
  spreadsheet holds NUL bytes).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError

MAX_FILE_BYTES = 5 * 1024 * 1024  # the largest upload: a ratings file (reports.parsing)
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 512 * 1024  # the file plus the form around it


def request_size_limit(get_response):
    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:
            return HttpResponse(
                f"The upload is too large: files of up to {MAX_FILE_BYTES // (1024 * 1024)} MB are accepted. "
                "Nothing was saved.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


NUL = "\x00"
NUL_MESSAGE = "The request contained a NUL character (\\x00), which no field accepts. Nothing was saved."
UNREADABLE_MESSAGE = "The form could not be read. Nothing was saved; reload the page and try again."


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def refuse_nul_characters(get_response):
    """400 with a message for a NUL anywhere a view or the fast paths would read it.

    Placed before ratings.fastpoll and ratings.fastvote, which answer without the rest of the
    stack. Reading request.POST here costs nothing extra: the CSRF check reads it anyway.
    """

    def middleware(request):
        if NUL in request.path_info or _has_nul(request.GET):
            return _bad_request(NUL_MESSAGE)
        if request.method == "POST":
            try:
                post = request.POST
            except MultiPartParserError:
                return _bad_request(UNREADABLE_MESSAGE)
            if _has_nul(post) or any(NUL in name for name in request.FILES):
                return _bad_request(NUL_MESSAGE)
        return get_response(request)

    return middleware
