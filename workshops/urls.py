from __future__ import annotations

from django.urls import path

from . import accessibility, mail_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("mail/unsubscribe/<str:token>/", mail_views.unsubscribe, name="mail_unsubscribe"),
    path("accessibility/", accessibility.accessibility_statement, name="accessibility_statement"),
]
