"""Seed the CASCADE 2018 framework and the role groups (reversible)."""

from __future__ import annotations

from django.db import migrations

from workshops.framework_data import create_framework, read_cascade

GROUPS = ["Facilitators", "CCG leads"]


def seed(apps, schema_editor):
    Framework = apps.get_model("workshops", "Framework")
    data = read_cascade()
    if not Framework.objects.filter(name=data["name"]).exists():
        create_framework(
            data,
            Framework,
            apps.get_model("workshops", "Level"),
            apps.get_model("workshops", "Domain"),
            apps.get_model("workshops", "Descriptor"),
            is_default=True,
        )
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def unseed(apps, schema_editor):
    apps.get_model("workshops", "Framework").objects.filter(name=read_cascade()["name"]).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
