"""The security review's outsider: a facilitator of another area who first tries to create a
workshop in an area not theirs. Role-matrix tests call this, then check that every page of
that area still answers 404 to them."""

from __future__ import annotations

from workshops.models import Workshop


def attempt_workshop_in_foreign_area(client, area, framework, programme=None, phase: int = 1) -> None:
    """POST the new-workshop form for `area`; assert it is refused and reveals nothing."""
    before = Workshop.objects.count()
    response = client.post(
        "/workshops/new/",
        {
            "title": "Outsider's workshop",
            "area": area.pk,
            "programme": programme.pk if programme else "",
            "phase": str(phase),
            "date": "2026-10-01",
            "framework": framework.pk,
            "agreement_share": "0.80",
        },
    )
    assert response.status_code == 200, "the form must be shown again with an error"
    assert "area" in response.context["form"].errors
    content = response.content.decode()
    assert area.name not in content and "already has a workshop" not in content
    assert Workshop.objects.count() == before
