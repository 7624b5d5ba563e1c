from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from workshops.framework_data import CASCADE_FIXTURE, read_cascade
from workshops.models import Descriptor, Domain, Framework, Level

SHARED_JSON = Path(__file__).resolve().parents[2].parent / "shared" / "cascade-framework.json"


def _as_dict(framework: Framework) -> dict:
    levels = list(framework.levels.all())
    return {
        "name": framework.name,
        "edition": framework.edition,
        "source": framework.source,
        "levels": [{"score": lv.score, "label": lv.label} for lv in levels],
        "domains": [
            {
                "code": d.code,
                "letter": d.letter,
                "title": d.title,
                "short_title": d.short_title,
                "prompt": d.prompt,
                "descriptors": [desc.text for desc in d.descriptors.order_by("level__score")],
            }
            for d in framework.domains.all()
        ],
    }


@pytest.mark.django_db
def test_it_seeds_the_cascade_framework_exactly():
    framework = Framework.get_default()
    assert framework.is_default
    assert framework.domains.count() == 7
    assert framework.levels.count() == 4
    assert Descriptor.objects.filter(domain__framework=framework).count() == 28
    assert [d.code for d in framework.domains.all()] == ["C1", "A1", "S", "C2", "A2", "D", "E"]
    expected = read_cascade()
    del expected["action_plan_columns"], expected["notes"]  # guidance, not stored data
    assert _as_dict(framework) == expected
    assert framework.structure_errors() == []


@pytest.mark.skipif(not SHARED_JSON.exists(), reason="shared/ not beside the checkout")
def test_the_fixture_is_a_copy_of_the_shared_json():
    assert json.loads(CASCADE_FIXTURE.read_text()) == json.loads(SHARED_JSON.read_text())


@pytest.mark.django_db(transaction=True)
def test_the_seed_migration_is_reversible():
    call_command("migrate", "workshops", "0001", verbosity=0)
    assert not Framework.objects.exists()
    call_command("migrate", verbosity=0)
    framework = Framework.get_default()
    assert Level.objects.filter(framework=framework).count() == 4
    assert Domain.objects.filter(framework=framework).count() == 7
