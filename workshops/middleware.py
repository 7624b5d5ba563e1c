"""Refuse request bodies larger than any form of the site takes, before anything reads them.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files: a POST of any
size, to any URL, was read and spooled to a temporary file by the CSRF check before a view
could refuse it. The largest thing the site accepts is a ratings file of 5 MB.
"""

from __future__ import annotations

from django.http import HttpResponse

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
