"""The pages of the mail features in Chromium: axe-clean, as the person who sees them, on
seed_demo's data (the baseline's owners have example.org addresses)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from actionplans.models import ActionItem
from actionplans.owners import owner_link_create, owner_link_find, owner_links_revoke, owner_update_save
from ratings.invitation_models import Invitation
from ratings.prerating import prerating_open
from tests.axe import axe_violations
from tests.test_accessibility import _page_as, demo  # noqa: F401  (demo is a fixture)
from workshops.mail import new_token, unsubscribe_url
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS")  # a folder: save a screenshot of each page there


def _path(url: str) -> str:
    return url[url.index("/", url.index("://") + 3) :]


def test_the_mail_pages_pass_axe(browser, live_server, demo, settings):  # noqa: F811
    settings.PUBLIC_URL = live_server.url
    users, baseline = demo["users"], demo["baseline"]
    item = ActionItem.objects.filter(workshop=baseline).exclude(owner_email="").first()
    owner = _path(owner_link_create(baseline, item.owner_email))
    link = owner_link_find(owner.split("/")[2])
    owner_update_save(link, item, status="in_progress", note="Draft shared with the heads")
    other = ActionItem.objects.filter(workshop=baseline).exclude(owner_email=item.owner_email).first()
    revoked = _path(owner_link_create(baseline, other.owner_email))
    owner_links_revoke(baseline, other.owner_email, users["facilitator"])
    draft = Workshop.objects.create(
        area=baseline.area,
        programme=baseline.programme,
        framework=baseline.framework,
        phase=3,
        title="North Shire second follow-up",
        date=timezone.localdate() + dt.timedelta(days=20),
    )
    draft.facilitators.add(users["facilitator"])
    prerating_open(draft, users["facilitator"], timezone.now() + dt.timedelta(days=19))
    raw, hashed = new_token()
    Invitation.objects.create(
        workshop=draft, name="Sam Lee", email="sam@example.org", sector="school", token_hash=hashed
    )
    pages = {
        None: [
            owner,
            f"/i/{raw}/",
            _path(unsubscribe_url("sam@example.org", "invite_reminder")),
            revoked,
        ],
        "facilitator": [f"/workshops/{baseline.pk}/plan/", f"/workshops/{draft.pk}/"],
        "lead": ["/action-items/", f"/workshops/{baseline.pk}/plan/"],
    }
    problems = {}
    for username, urls in pages.items():
        page = _page_as(browser, live_server, users.get(username) if username else None)
        for url in urls:
            page.goto(live_server.url + url)
            found = axe_violations(page)
            if found:
                problems[f"{username} {url}"] = found
            if SHOTS:
                name = f"{username}-{url.strip('/').replace('/', '_')[:40] or 'home'}.png"
                page.screenshot(path=os.path.join(SHOTS, name), full_page=True)
        page.context.close()
    assert not problems, problems
