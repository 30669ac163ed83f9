"""Settings shared by every environment. Everything secret or machine-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# django-ninja's own templates and static files (the API docs page, served locally: no CDN, no inline
# script) without listing "ninja" as an app — as an app it would be imported by django.setup() in every
# process, pydantic included (~0.1 s), even by `ocop stats`. Located without importing it.
NINJA_DIR = Path(find_spec("ninja").origin).parent
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-machine key kept under var/ so a fresh clone never ships one and restarts keep sessions."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("OCOP_SECRET_KEY") or local_secret_key()
DEBUG = env_bool("OCOP_DEBUG", False)
ALLOWED_HOSTS = env_list("OCOP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("OCOP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ocop.core",
    "ocop.accounts",
    "ocop.geography",
    "ocop.producers",
    "ocop.products",
    "ocop.evaluation",
    "ocop.certification",
    "ocop.imports",
    "ocop.targets",
    "ocop.portal",
    "ocop.traceability",
    "ocop.support",
    "ocop.privacy",
    "ocop.workspace",
    "ocop.ideas",
    "ocop.inspections",
    "ocop.funding",
    "ocop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ocop.core.security.SecurityHeadersMiddleware",
    "ocop.core.security.RateLimitMiddleware",
    "ocop.core.middleware.HealthzMiddleware",
    # GET /api/v1/stamps/{code} is answered here, under the security layers above and before the rest.
    "ocop.traceability.middleware.StampApiMiddleware",
    # Every /api/ error as {"detail", "code"} and every 429 with Retry-After (after the stamp hot path).
    "ocop.api.middleware.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocop.workspace.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}"),
        conn_max_age=int(os.environ.get("OCOP_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ocop.accounts.validators.VietnameseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per (username, IP) window before the account is cooled off.
LOGIN_THROTTLE_LIMIT = int(os.environ.get("OCOP_LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("OCOP_LOGIN_THROTTLE_WINDOW", "900"))

# Vietnamese at the root; the public portal also in English under /en/ (config/urls.py: i18n_patterns).
# Catalogues: locale/<lang>/LC_MESSAGES/django.po, compiled to .mo by `make install`.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("OCOP_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", NINJA_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("OCOP_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024

# Served over plain HTTP on 127.0.0.1 by `make run`; behind TLS set OCOP_HTTPS=1.
HTTPS = env_bool("OCOP_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("OCOP_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("OCOP_SSL_REDIRECT", True)
    # Load-balancer checks speak plain HTTP to the app: /healthz answers there too (no redirect).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("OCOP_HSTS_PRELOAD", True)

# Stamp verification (ocop/traceability): verifications of one code by one client (IP network) per 10 minutes
# before HTTP 429, and where each worker spools the scans it answered until they are in the database.
STAMP_REPEAT_LIMIT = int(os.environ.get("OCOP_STAMP_REPEAT_LIMIT", "10"))
STAMP_SPOOL_DIR = os.environ.get("OCOP_STAMP_SPOOL_DIR", str(VAR_DIR / "scan-spool"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ocop_cache",
    }
}

# Background jobs (ocop/core/jobs.py): django-tasks with its database backend, run by `ocop worker` — and,
# unless OCOP_JOB_THREADS=0 (set it where a worker runs), by a thread of the web process after the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
OCOP_JOB_THREADS = env_bool("OCOP_JOB_THREADS", True)

EMAIL_BACKEND = os.environ.get("OCOP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("OCOP_FROM_EMAIL", "ocop@localhost")

# Background tiles of the public maps (/ban-do/, place pages): a URL template and its attribution. The page's
# Content-Security-Policy allows images from this host on those pages only (ocop/portal/maps.py).
OCOP_MAP_TILES = {
    "url": os.environ.get("OCOP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "attribution": os.environ.get(
        "OCOP_MAP_TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    ),
    "max_zoom": int(os.environ.get("OCOP_MAP_TILE_MAX_ZOOM", "19")),
}

OCOP_SHARED_DIR = Path(os.environ.get("OCOP_SHARED_DIR", BASE_DIR.parent / "shared"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"masked": {"()": "ocop.core.security.PersonalDataFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "masked"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OCOP_LOG_LEVEL", "WARNING")},
}
