"""Test tweaks only: fast hashing, mail kept in memory, plain static storage."""

from cspportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# live_server cannot serve whitenoise's hashed names; tests use plain storage.
STORAGES = {  # noqa: F405 (the star import defines the rest)
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # type: ignore[assignment]  # whitenoise would warn about a collectstatic folder tests never need
# Background tasks run at once, inside the test.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
