"""Free text is text: markup typed into a plan shows literally, line breaks are kept."""

from __future__ import annotations

import pytest

from .conftest import add_item, add_plan, domain, plan_post

pytestmark = pytest.mark.django_db

TYPED = 'Line one <script>alert("x")</script>\n<b>bold?</b> & <img src=x onerror=alert(1)>'


def test_markup_is_saved_as_typed_and_shown_escaped(users, workshop, client_for):
    client = client_for(users["facilitator"])
    c1 = domain(workshop, "C1")
    client.post(f"/workshops/{workshop.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, working_well=TYPED))
    add_item(workshop, description="<script>alert(2)</script>", note="<i>note</i>")
    for url in (f"/workshops/{workshop.pk}/plan/", f"/workshops/{workshop.pk}/plan/preview/"):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content and "<img src=x" not in content and "<b>bold" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in content
        assert "&lt;i&gt;note&lt;/i&gt;" in content


def test_line_breaks_are_kept_for_read_only_viewers(users, workshop, client_for):
    add_plan(workshop, "S", challenges="First line\nSecond line")
    content = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/plan/").content.decode()
    assert '<div class="text-pre">First line\nSecond line</div>' in content


def test_windows_line_endings_are_normalised(users, workshop, client_for):
    from actionplans.models import DomainPlan

    c1 = domain(workshop, "C1")
    client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, next_steps="a\r\nb\r\n")
    )
    assert DomainPlan.objects.get().next_steps == "a\nb"


def test_too_long_text_is_a_form_error_and_a_nul_byte_a_400(users, workshop, client_for):
    from actionplans.models import DomainPlan

    c1 = domain(workshop, "C1")
    client = client_for(users["facilitator"])
    url = f"/workshops/{workshop.pk}/plan/domain/C1/"
    long = client.post(url, plan_post(c1.pk, version=0, working_well="x" * 20_001))
    assert long.status_code == 200 and "at most 20000 characters" in long.content.decode()
    # A NUL is refused for every endpoint alike, before any view (workshops.middleware).
    nul = client.post(url, plan_post(c1.pk, version=0, working_well="a\x00b"))
    assert nul.status_code == 400 and "NUL character" in nul.content.decode()
    tampered = client.post(url, plan_post(c1.pk, version=0) | {f"plan-{c1.pk}-version": "abc"})
    assert tampered.status_code == 200 and "reload the page" in tampered.content.decode()
    assert not DomainPlan.objects.exists()
