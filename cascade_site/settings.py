"""Settings for CASCADE Workshops.

One module, driven by environment variables. The defaults suit a developer's
laptop (DEBUG on, SQLite file); production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY.strip() in {"", DEVELOPMENT_SECRET_KEY}:
    # The key signs session and participant cookies: the one in this file is public.
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DEBUG=0 the app refuses to start with no key or the "
        "development key from the code. Set SECRET_KEY to a long random value, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # Django's own rule (check --deploy's security.W009), refused instead of warned: a key that
    # can be guessed lets anyone forge session and participant cookies.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: with DEBUG=0 the app refuses to start unless the key has at least "
        "50 characters, at least 5 different characters and not Django's 'django-insecure-' prefix. "
        "Set SECRET_KEY to a long random value, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "workshops",
    "ratings",
    "actionplans",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ratings.fastpoll.unchanged_phone_poll",  # 204 before sessions, CSRF and the ORM
    "ratings.fastvote.phone_vote",  # an accepted vote: CSRF, one statement, the shared ballot
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cascade_site.urls"
WSGI_APPLICATION = "cascade_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workshops.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
# Every statement and every wait on the database ends (issue 21): the server cancels a statement
# after DATABASE_STATEMENT_TIMEOUT seconds, and workshops.db_deadline stops waiting for a reply
# 2 s after that, or for a connection after DATABASE_CONNECT_TIMEOUT; 0 turns the limit off.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5)
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # libpq waits for ever by default. Keepalives notice a host that vanished under an idle
    # connection within about a minute; tcp_user_timeout drops one whose host stopped
    # acknowledging what was sent (a host that still acknowledges is db_deadline's).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.update(
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
        tcp_user_timeout=10_000,  # milliseconds
    )
    _statement_limit = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
    _options["options"] = f"{_options.get('options', '')} {_statement_limit}".strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASE_STATEMENT_TIMEOUT:
    # SQLite has no server to hang; a write waits this long for another's lock, then fails.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = DATABASE_STATEMENT_TIMEOUT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Everything that counts across requests (the join-code throttle) lives in the default cache:
# Redis shared by every process and server when REDIS_URL is set, this process's memory when
# not (development, one process). Log-in failures (django-axes) are counted in the database.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cascade",
            # A dead Redis answers a 503 within seconds instead of hanging the worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cascade",
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address locks it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT") or BASE_DIR / "staticfiles"  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]  # Bootstrap's compiled files are in static/vendor/
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Security headers. Production values switch on with DEBUG off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges). Empty: the
# socket address is the client, whatever the header says (workshops/client_address.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None

# No inline scripts or styles anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Refuse oversized request bodies before the CSRF check reads (and spools) them.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "workshops.middleware.request_size_limit",
)
# NUL characters: 400 before the phones' fast paths (fastpoll, fastvote) and every view.
MIDDLEWARE.insert(
    MIDDLEWARE.index("workshops.middleware.request_size_limit") + 1,
    "workshops.middleware.refuse_nul_characters",
)

# Log-in throttling counts per client address, read through the proxy when there is one.
AXES_CLIENT_IP_CALLABLE = "workshops.client_address.client_address"

# /healthz answers before any other middleware: no session, no host check, no HTTPS redirect.
MIDDLEWARE.insert(0, "cascade_site.health.healthz_middleware")
# An unreachable database or cache gives a plain 503 page instead of a 500 (cascade_site/unavailable.py).
MIDDLEWARE.append("cascade_site.unavailable.ServiceUnavailableMiddleware")

# Benchmarks: an area's figures beside its programme's only when at least this many areas
# of the programme have every domain agreed in the phase (fewer could expose one area).
BENCHMARK_MIN_AREAS = env_int("BENCHMARK_MIN_AREAS", 5)
# The address phones use to join (QR code, projector): e.g. http://192.168.1.20:8000 when a
# laptop serves a hall's Wi-Fi (`make hall` sets it). Empty: the address the browser used.
PUBLIC_URL = env_str("PUBLIC_URL").rstrip("/")

# Data protection (README "Data protection"): participants' names and organisations are blanked
# this many days after their workshop closes (anonymise_participants), a year so a follow-up
# workshop can still see who was in the room last time; log-in attempt logs (django-axes) are
# pruned after AXES_LOG_RETENTION_DAYS (prune_login_attempts).
PARTICIPANT_RETENTION_DAYS = env_int("PARTICIPANT_RETENTION_DAYS", 365)
AXES_LOG_RETENTION_DAYS = env_int("AXES_LOG_RETENTION_DAYS", 90)

# Mail (README "Reminders and mail"): messages wait in the outbox table (workshops.Outbox) and
# `send_reminders` delivers them. With EMAIL_HOST set, Django's SMTP backend; without it
# (development), messages are printed to the console of `make run` / the command.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if env_bool("EMAIL_USE_TLS") else 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CASCADE Workshops <cascade@localhost>")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# Owner and invitee emails, the outbox's copies of addresses and the owners' update notes by
# link are erased this many days after the workshop they belong to closes (erase_mail_data).
MAIL_RETENTION_DAYS = env_int("MAIL_RETENTION_DAYS", PARTICIPANT_RETENTION_DAYS)

# Where the accessibility statement (/accessibility/) tells people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
