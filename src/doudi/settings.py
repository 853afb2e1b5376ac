"""Django settings for doudi. Everything that differs between machines comes from the environment.

DOUDI_DATA_DIR   where the SQLite database, uploads and generated files live (default ./doudi-data)
DATABASE_URL     e.g. postgres://postgres@127.0.0.1:5432/doudi ; default SQLite in the data dir
DOUDI_SECRET_KEY required unless DOUDI_DEBUG is on (a development key is used then)
DOUDI_DEBUG, DOUDI_ALLOWED_HOSTS, DOUDI_TIME_ZONE, DOUDI_LANGUAGE
DOUDI_TRUSTED_PROXIES, DOUDI_LOGIN_FAILURE_LIMIT, DOUDI_LOGIN_LOCKOUT_MINUTES, DOUDI_INSTALLATION_ADMINS
DOUDI_CONN_MAX_AGE, DOUDI_PGBOUNCER, DOUDI_STATIC_MANIFEST (docs/deployment.md "Web server and PostgreSQL")
(README "Configuration"; docs/deployment.md "Logins, sessions and the browser")
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from doudi.core.env import _secret_key_from_data_dir, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DOUDI_DATA_DIR", str(Path.cwd() / "doudi-data"))).resolve()

DEBUG = env_bool("DOUDI_DEBUG", False)
SECRET_KEY = env_str("DOUDI_SECRET_KEY", "") or _secret_key_from_data_dir(DATA_DIR)
ALLOWED_HOSTS = env_list("DOUDI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The Django admin, for installation superusers only (administration.admin_site).
    "doudi.administration.admin_apps.DoudiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger files from static, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "doudi.core",
    "doudi.regions",
    "doudi.accounts",
    "doudi.audit",
    "doudi.administration",
    "doudi.registry",
    "doudi.policy",
    "doudi.eligibility",
    "doudi.benefits",
    "doudi.relatives",
    "doudi.cases",
    "doudi.verification",
    "doudi.referrals",
    "doudi.selfservice",
    "doudi.temporary",
    "doudi.medical",
    "doudi.payments",
    "doudi.reviews",
    "doudi.monitoring",
    "doudi.socialforces",
    "doudi.care",
    "doudi.hotline",
    "doudi.supervision",
    "doudi.statistics",
    "doudi.openness",
    "doudi.reports",
    "doudi.web",
    "doudi.demo",
    "doudi.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future cache headers (hashed names after collectstatic); before everything that would
    # mark them no-store or look up a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the user switched language (not the browser's Accept-Language): docs/decisions.md.
    "doudi.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "doudi.core.middleware.RejectMalformedInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "doudi.administration.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "doudi.core.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "doudi.audit.middleware.RequestContextMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doudi.urls"
WSGI_APPLICATION = "doudi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "doudi.web.context.shell",
            ],
            # Argument-less {% url %} reversed once, not on every page (core/speed.py; {% translate %}: the same).
            "builtins": ["doudi.core.fasttags.url"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'doudi.sqlite3'}"),
        # Persistent connections (one per server thread); 0 behind pgbouncer in transaction mode is also fine.
        conn_max_age=env_int("DOUDI_CONN_MAX_AGE", 300),
        conn_health_checks=True,
    )
}
if env_bool("DOUDI_PGBOUNCER", False):
    # pgbouncer in transaction pooling: a server-side cursor cannot outlive its transaction (docs/deployment.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app read while a background job writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before the password is even checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Django's own validators cover the issue's cases: a password equal (or close) to the user name or the name shown
# (UserAttributeSimilarityValidator), all digits (NumericPasswordValidator), short, or on the common-password list.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "phone", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout (django-axes): after DOUDI_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one address, that
# pair is refused for DOUDI_LOGIN_LOCKOUT_MINUTES (each further try restarts the wait); an administrator of the
# user's area can unlock earlier (系统管理 → 用户). The client address is the one the audit log records.
AXES_FAILURE_LIMIT = env_int("DOUDI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("DOUDI_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "doudi.core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "doudi.administration.views.auth.locked_out"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXIES = env_int("DOUDI_TRUSTED_PROXIES", 0)
# Who may use the Django admin (/admin/): active superusers, and when this list is set only those user names.
INSTALLATION_ADMINS = env_list("DOUDI_INSTALLATION_ADMINS", [])
# Second factor (TOTP, optional, for administrators and approvers): the issuer shown in the authenticator app.
OTP_TOTP_ISSUER = "兜底 doudi"

LANGUAGE_CODE = env_str("DOUDI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("DOUDI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# After `doudi collectstatic` the files carry a content hash in their names (manifest storage) and WhiteNoise serves
# them as immutable for a year; without a collected manifest (development, tests) plain names are used.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if (STATIC_ROOT / "staticfiles.json").exists() or env_bool("DOUDI_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 3600  # files without a hash in their name (hashed ones: immutable, one year)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (docs/deployment.md): secure cookies, redirect to https, HSTS, and trust the proxy's scheme header.
HTTPS = env_bool("DOUDI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS or env_bool("DOUDI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("DOUDI_CSRF_TRUSTED_ORIGINS", [])
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = 8 * 3600

# Content-Security-Policy: scripts, styles, images and fonts from this site only; no inline script or style, no
# eval, no framing. Templates keep JavaScript in static files (web/static) and pass data with json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("DOUDI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "doudi.core.logging.MaskResidentIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_ids"]}},
    "root": {"handlers": ["console"], "level": env_str("DOUDI_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers lose the handlers of its default configuration (an unfiltered console, mail to
        # admins with the request and the traceback's local values): what they log goes to the root's handlers,
        # which mask resident IDs (tests/web/test_id_masking.py).
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every sign-in and failure; both (and each lockout) are in the audit log already.
        "axes": {"level": "ERROR"},
    },
}
