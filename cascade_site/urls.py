from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workshops.forms import LoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("workshops.urls")),
    path("", include("ratings.urls")),
    path("", include("actionplans.urls")),
    path("", include("reports.urls")),
]

# A plain page that renders with the database down (the default one needs templates).
handler500 = "cascade_site.unavailable.server_error"
