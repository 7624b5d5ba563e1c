from __future__ import annotations

from django.urls import path

from . import leads_views, notes_views, owner_views, priorities_views, views

urlpatterns = [
    # The per-workshop page (the live console's "Action plan" tab links here) ...
    path("workshops/<int:pk>/plan/", views.plan_edit, name="actionplan_edit"),
    # ... and self-contained sections it can embed with htmx (hx-get; forms post back to them).
    path("workshops/<int:pk>/plan/domain/<str:code>/", views.plan_domain, name="actionplan_domain"),
    path(
        "workshops/<int:pk>/plan/domain/<str:code>/items/new/",
        views.item_create,
        name="actionplan_item_create",
    ),
    path("workshops/<int:pk>/plan/items/<int:item_pk>/", views.item_edit, name="actionplan_item_edit"),
    path(
        "workshops/<int:pk>/plan/items/<int:item_pk>/delete/",
        views.item_delete,
        name="actionplan_item_delete",
    ),
    path("workshops/<int:pk>/plan/review/", views.plan_review, name="actionplan_review"),
    path("workshops/<int:pk>/plan/review/<int:item_pk>/", views.review_item, name="actionplan_review_item"),
    path("workshops/<int:pk>/plan/preview/", views.plan_preview, name="actionplan_preview"),
    path("workshops/<int:pk>/plan.pdf", views.plan_pdf, name="actionplan_pdf"),
    path(
        "workshops/<int:pk>/plan/notes/<int:note_pk>/<slug:use>/",
        notes_views.plan_note_use,
        name="actionplan_note_use",
    ),
    # Notes and dot-voting from phones, and the live console's buttons for them.
    path("p/<str:code>/notes/", notes_views.phone_notes, name="notes_phone"),
    path("p/<str:code>/notes/<int:note_pk>/", notes_views.phone_note_edit, name="notes_phone_edit"),
    path("p/<str:code>/dots/", notes_views.phone_dots, name="notes_phone_dots"),
    path(
        "workshops/<int:pk>/live/notes/priorities/",
        priorities_views.live_priorities_confirm,
        name="notes_live_priorities",
    ),
    path(
        "workshops/<int:pk>/live/notes/<slug:action>/",
        notes_views.live_notes_action,
        name="notes_live_action",
    ),
    # Owners update their own actions by a personal link (no log-in) ...
    path("a/<str:token>/", owner_views.owner_page, name="owner_page"),
    # ... sent and revoked from the plan page.
    path("workshops/<int:pk>/plan/owners/notify/", owner_views.owners_notify, name="owners_notify"),
    path("workshops/<int:pk>/plan/owners/revoke/", owner_views.owners_revoke, name="owners_revoke"),
    path("action-items/", leads_views.action_items, name="action_items"),
    path("action-items/export.csv", leads_views.action_items_csv, name="action_items_csv"),
]
