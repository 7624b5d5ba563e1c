from __future__ import annotations

from django.urls import include, path

from . import paper, views

urlpatterns = [
    path("join/", views.join, name="ratings_join"),
    path("p/<str:code>/", views.ballot, name="ratings_ballot"),
    path("p/<str:code>/vote/", views.vote, name="ratings_vote"),
    path("p/<str:code>/poll/", views.participant_poll, name="ratings_participant_poll"),
    path("workshops/<int:pk>/live/", views.console, name="ratings_console"),
    path("workshops/<int:pk>/live/projector/", views.projector, name="ratings_projector"),
    path("workshops/<int:pk>/live/poll/", views.live_poll, name="ratings_live_poll"),
    path("workshops/<int:pk>/live/action/<slug:action>/", views.live_action, name="ratings_live_action"),
    path("workshops/<int:pk>/results/", views.summary, name="ratings_summary"),
    path("", include("ratings.prerating_urls")),
    path("workshops/<int:pk>/paper/<slug:sheet>/", paper.paper_preview, name="ratings_paper"),
    path("workshops/<int:pk>/paper/<slug:sheet>.pdf", paper.paper_pdf, name="ratings_paper_pdf"),
]
