from __future__ import annotations

from django.urls import path

from . import leads_views, views

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
    path("action-items/", leads_views.action_items, name="action_items"),
    path("action-items/export.csv", leads_views.action_items_csv, name="action_items_csv"),
]
