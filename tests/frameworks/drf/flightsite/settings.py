"""Settings of the staging deployment: DEBUG off, Django's and DRF's defaults kept unless a line says why."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "staging-only-key-not-used-in-production")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "rest_framework.authtoken",
    "garuda",
    "flightsayer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "flightsite.urls"
WSGI_APPLICATION = "flightsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

# serve.py points this at a fresh temp file it migrates and fills; the timeout lets the delivery worker and the
# request threads take turns at SQLite's single writer lock.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DRF_DATABASE", BASE_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"

REST_FRAMEWORK = {
    # Flightsayer's `Authorization: Token ...`; Garuda's views name their own authenticator.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "flightsayer.pagination.FlightsayerPagination",
    "PAGE_SIZE": 50,
}

# Seconds between a flight's final push notification and the deletion of its subscriptions.
FINAL_DELETE_SECONDS = float(os.environ.get("FINAL_DELETE_SECONDS", "2"))
# Timeout of one push notification POST, so a dead target cannot hold the worker.
NOTIFICATION_TIMEOUT_SECONDS = 5.0
# Token of the operations account that may change a flight through /ops/ (the change_flight command uses it).
OPS_TOKEN = os.environ.get("OPS_TOKEN", "0ps0ps0ps0ps0ps0ps0ps0ps0ps0ps0ps0ps0ps0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"flightsayer": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
