"""Append-only records: history rows (consensus changes, plan edits, reviews) are written once
and never changed or removed, by any code path, admins included.

Guards sit on the model (save of an existing row, delete) and on its QuerySet (update, delete,
bulk_update), so a slip in a view, a shell session or a management command fails loudly instead
of rewriting the record. Deleting the whole workshop a row belongs to is refused elsewhere (the
admin keeps recorded workshops); the database-level cascade is left for that case only.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an append-only row."""


def _refuse(model: type[models.Model], what: str):
    raise AppendOnlyError(
        f"{model._meta.verbose_name_plural.capitalize()} are append-only: {what} is refused."
    )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model, "update")

    def delete(self):
        _refuse(self.model, "delete")

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self.model, "bulk update")

    def update_or_create(self, *args, **kwargs):
        _refuse(self.model, "update_or_create")


class AppendOnlyModel(models.Model):
    """Rows may be inserted (create, bulk_create) and read; nothing else."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse(type(self), "changing a saved row")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(type(self), "delete")


class AppendOnlyAdminMixin:
    """Viewable in the admin, never added, changed or deleted there (superusers included)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
