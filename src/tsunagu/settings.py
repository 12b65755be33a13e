"""Settings: one module, every deployment choice read from the environment.

DATABASE_URL   default: a SQLite file under ./var (WAL mode); production: postgres://...
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to turn on (default: on only when no SECRET_KEY is set)
ALLOWED_HOSTS  comma-separated
REDIS_URL      optional: when set, the task queue runs on Redis instead of the embedded SQLite queue
VAR_DIR        where SQLite files, uploads and import error files live (default ./var)
TEXT_VARIANT_FILES  extra spelling-variant files for the Japanese normaliser (comma-separated)
CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS  HTTPS deployment behind a proxy
IMPORT_UPLOAD_MAX_BYTES  largest import file accepted from the web (default 200 MB)
QUEUE_WORKERS  queue worker threads (default 2); LOG_LEVEL (default INFO)
EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL  mail
SEARCH_ENGINE  "tantivy" (default: an embedded index under SEARCH_INDEX_DIR) or "database" (SQLite FTS5 / PostgreSQL)
SEARCH_INDEX_DIR  where the tantivy index lives (default $VAR_DIR/search-index)
FETCH_ALLOW_PRIVATE_ADDRESSES  "1" lets imports from a URL reach private/loopback addresses (default off)
SITE_URL       the site's public address, for links in mails (e.g. https://tsunagu.example.jp)
WATCH_HOST_INTERVAL_SECONDS  seconds between two requests of the watcher to the same host (default 2)
DOUBLE_ENTRY_PERCENT  share of collected records entered twice, blind (default 30)
SLACK_WEBHOOK_HOSTS  hosts a Slack webhook URL may point at (comma-separated, default hooks.slack.com)
OCDS_OCID_PREFIX  the ocid prefix of the OCDS export (default ocds-tsunagu-; a real one is registered with OCP)
OCDS_PUBLISHER_NAME  the publisher named in OCDS release packages (default Tsunagu)
OCDS_LICENSE_URL  the licence of the published data (default CC BY 4.0)
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("VAR_DIR", Path.cwd() / "var")).resolve()
TESTING = "pytest" in sys.modules or os.environ.get("TSUNAGU_TESTING") == "1"
if not TESTING:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database, the embedded queue, uploads


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", default=not SECRET_KEY)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "tsunagu.core",
    "tsunagu.accounts",
    "tsunagu.municipalities",
    "tsunagu.notices",
    "tsunagu.search",
    "tsunagu.workshare",
    "tsunagu.comms",
    "tsunagu.collection",
    "tsunagu.alerts",
    "tsunagu.series",
    "tsunagu.eligibility",
    "tsunagu.opendata",
    "tsunagu.insights",
    "tsunagu.api",
    "ninja",  # serves its bundled Swagger UI: the API docs load nothing from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tsunagu.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tsunagu.comms.context_processors.unread_notifications",
            ],
        },
    },
]

def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tsunagu.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0 if TESTING else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the site read while the queue writes; IMMEDIATE avoids "database is locked" on upgrade.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads older hashes; new ones are argon2
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never outside tests
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Sign-in throttling (accounts/throttling.py): failures per user name and address, per address, lock-out time.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", 900))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))

# Secure by default; only DEBUG relaxes transport security.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Pages carry no inline script or style (tests/core/test_security_headers.py keeps it so): no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'",
    "img-src 'self' data:",  # SVG charts and the API docs' icons
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 3600))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The task queue: embedded (SQLite file) by default, Redis when REDIS_URL is set, run inline in tests.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "tsunagu", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tsunagu",
        "filename": str(VAR_DIR / "queue.sqlite3"),
        "immediate": False,
    }
if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "tsunagu-test", "immediate": True}
HUEY["consumer"] = {"workers": int(os.environ.get("QUEUE_WORKERS", 2)), "worker_type": "thread"}

# The cache (API rate limits count requests in it): Redis when REDIS_URL is set, so every application server
# shares one count; otherwise files under VAR_DIR, shared by the processes of one host; per process in tests.
if REDIS_URL and not TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

# How many reverse proxies in front of the site add themselves to X-Forwarded-For. 0: trust no such header (a client
# could write anything in it) and count by the connection's address; behind one proxy: 1.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

# Public API rate limits per client address (anonymous) or per person (signed in or with a token): "N/s|m|h|d".
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "120/m")
API_RATE_AUTHENTICATED = os.environ.get("API_RATE_AUTHENTICATED", "600/m")

# An uploaded XLSX may unpack to at most this many bytes (a zip bomb is refused before it is unpacked).
XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("XLSX_MAX_UNCOMPRESSED_BYTES", 2_000_000_000))

# Search: the embedded tantivy index by default (fast filters, sorting and facet counts at a million notices), or
# the database's own index (FTS5 / tsvector). Either way the database is the source of truth (docs/search.md).
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "tantivy")
if SEARCH_ENGINE not in {"tantivy", "database"}:
    raise ImproperlyConfigured("SEARCH_ENGINE must be 'tantivy' or 'database'")
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index")).resolve()

# The share of candidates entered twice, blind, by two people (the rest: one entry checked by a second person).
DOUBLE_ENTRY_PERCENT = int(os.environ.get("DOUBLE_ENTRY_PERCENT", 30))

# The watcher asks each host for one page per this many seconds (politeness toward municipal servers).
WATCH_HOST_INTERVAL_SECONDS = float(os.environ.get("WATCH_HOST_INTERVAL_SECONDS", 2))

# Links people give us (a published sheet) may only reach public addresses, unless an intranet install says so.
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", False)

# Notifications: recorded by the comms app, delivered by mail / Slack within each person's hours.
NOTIFICATION_BACKEND = "tsunagu.comms.services.notification_create"
SITE_URL = os.environ.get("SITE_URL", "")
SLACK_WEBHOOK_HOSTS = env_list("SLACK_WEBHOOK_HOSTS", "hooks.slack.com")

# Open data (OCDS). The default prefix is a placeholder: a publisher registers its own with the Open Contracting
# Partnership (https://standard.open-contracting.org/latest/en/guidance/publish/#register-an-ocid-prefix).
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-tsunagu-")
OCDS_PUBLISHER_NAME = os.environ.get("OCDS_PUBLISHER_NAME", "Tsunagu")
OCDS_LICENSE_URL = os.environ.get("OCDS_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/")
OCDS_EXPORT_DIR = VAR_DIR / "opendata"  # the files /opendata/ offers for download, rebuilt by the queue

# Extra spelling-variant groups (one group per line, see core/data/README.md), comma-separated paths.
TEXT_VARIANT_FILES = env_list("TEXT_VARIANT_FILES", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tsunagu@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "tsunagu.core.logging.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
