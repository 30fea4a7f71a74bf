"""Test settings: fast hashing, eager Celery unless a broker is given, in-memory mail."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests that need a real worker start one themselves; everything else runs eagerly.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# In-process rendering keeps the suite fast; tests/core/test_pdf_sandbox.py turns the
# bounded child process on.
PDF_RENDER_ISOLATED = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (quiets WhiteNoise's warning)
ACCESS_CACHE_SECONDS = 0  # query counts must not depend on the tests that ran before
# Where the test database goes on a shared server (default: "test_" + the database's name).
if env("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME")}  # noqa: F405
# The API's throttles stay out of the way of the suite; tests/core/test_api_throttles.py
# sets its own small rates.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/hour", "user": "1000000/hour"},
}
# A task failing in-process raises in the test that ran it (the embedded default logs it
# and leaves it for recovery instead); no in-process beat behind the tests' backs.
OUTBOX_EAGER_RAISE = True
OUTBOX_EAGER_ATTEMPTS = 1
EMBEDDED_BEAT_SECONDS = 0
