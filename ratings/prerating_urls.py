from __future__ import annotations

from django.urls import path

from . import invitation_views
from . import prerating_views as views

urlpatterns = [
    path("p/<str:code>/before/", views.prerating_overview, name="prerating_overview"),
    path("p/<str:code>/before/<int:position>/", views.prerating_domain, name="prerating_domain"),
    path("workshops/<int:pk>/prerating/", views.prerating_window, name="prerating_window"),
    path("i/<str:token>/", invitation_views.invitation_open, name="invitation_open"),
    path("workshops/<int:pk>/invitations/", invitation_views.invitations_add, name="invitations_add"),
    path(
        "workshops/<int:pk>/prerating/cards/<int:note_pk>/",
        views.evidence_card,
        name="prerating_evidence_card",
    ),
]
