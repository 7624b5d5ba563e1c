"""The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 ask for.

Public: the regulations want it reachable by anyone, so it needs no login and reads nothing
from the database (the contact address is the ACCESSIBILITY_CONTACT_EMAIL setting).
LAST_CHECKED moves when the axe-core and PDF checks are run again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

LAST_CHECKED = dt.date(2026, 12, 4)
STATEMENT_PREPARED = dt.date(2026, 12, 4)


@require_GET
def accessibility_statement(request):
    return render(
        request,
        "workshops/accessibility.html",
        {
            "last_checked": LAST_CHECKED,
            "prepared": STATEMENT_PREPARED,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )
