"""Django settings for doudi. Everything that differs between machines comes from the environment.

DOUDI_DATA_DIR   where the SQLite database, uploads and generated files live (default ./doudi-data)
DATABASE_URL     e.g. postgres://postgres@127.0.0.1:5432/doudi ; default SQLite in the data dir
DOUDI_SECRET_KEY required unless DOUDI_DEBUG is on (a development key is used then)
DOUDI_DEBUG, DOUDI_ALLOWED_HOSTS, DOUDI_TIME_ZONE, DOUDI_LANGUAGE
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from doudi.core.env import _secret_key_from_data_dir, env_bool, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DOUDI_DATA_DIR", str(Path.cwd() / "doudi-data"))).resolve()

DEBUG = env_bool("DOUDI_DEBUG", False)
SECRET_KEY = env_str("DOUDI_SECRET_KEY", "") or _secret_key_from_data_dir(DATA_DIR)
ALLOWED_HOSTS = env_list("DOUDI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "doudi.core",
    "doudi.regions",
    "doudi.accounts",
    "doudi.audit",
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
    "doudi.payments",
    "doudi.reviews",
    "doudi.web",
    "doudi.demo",
    "doudi.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "doudi.audit.middleware.RequestContextMiddleware",
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
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'doudi.sqlite3'}"),
        conn_max_age=60,
    )
}
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = env_str("DOUDI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("DOUDI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
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
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
