"""Existing data: every facilitator of a workshop is assigned to that workshop's area, so nobody
loses access to the areas they already work in when the assignment rule starts to apply."""

from __future__ import annotations

from django.db import migrations


def assign(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    Area = apps.get_model("workshops", "Area")
    Through = Area.facilitators.through
    pairs = set(
        Workshop.facilitators.through.objects.values_list("workshop__area_id", "user_id").distinct()
    )
    existing = set(Through.objects.values_list("area_id", "user_id"))
    Through.objects.bulk_create(
        [Through(area_id=area_id, user_id=user_id) for area_id, user_id in sorted(pairs - existing)]
    )


def unassign(apps, schema_editor):
    """Remove only the assignments this migration could have made (facilitator of a workshop
    in that area); assignments made by hand in other areas stay until the field is removed."""
    Workshop = apps.get_model("workshops", "Workshop")
    Area = apps.get_model("workshops", "Area")
    Through = Area.facilitators.through
    for area_id, user_id in Workshop.facilitators.through.objects.values_list(
        "workshop__area_id", "user_id"
    ).distinct():
        Through.objects.filter(area_id=area_id, user_id=user_id).delete()


class Migration(migrations.Migration):
    dependencies = [("workshops", "0004_area_facilitators")]

    operations = [migrations.RunPython(assign, unassign)]
