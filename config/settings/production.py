"""Production: PostgreSQL, Redis, real Celery workers. Secrets have no defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, postgres_options

SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 50+ characters")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production needs PostgreSQL (DATABASE_URL=postgres://...)")
DATABASES["default"]["OPTIONS"] = postgres_options(DATABASES["default"])
# Printed into every issued document's verification line, and issued documents never
# change: an https address must be given, never the development default.
SITE_URL = env("SITE_URL")
if not SITE_URL.startswith("https://") or len(SITE_URL) <= len("https://"):
    raise ImproperlyConfigured("SITE_URL must be the site's https:// address")
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# The cache shares the Redis server unless CACHE_URL names another (redis:// → RedisCache).
CACHES = {"default": env.cache("CACHE_URL", default=CELERY_BROKER_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"  # one client per pool, not per call
# Entries are facts about one database (a user's reach, remembered roles, sessions): two sites
# or a staging copy sharing a Redis server must never read each other's, so every key starts
# with the database's host and name unless CACHE_KEY_PREFIX says otherwise.
CACHES["default"]["KEY_PREFIX"] = env(
    "CACHE_KEY_PREFIX",
    default=f"{DATABASES['default'].get('HOST') or 'local'}/{DATABASES['default']['NAME']}",
)
# Sessions read from the cache, written through to the database: a page asks Redis, not
# PostgreSQL, for its session (a restarted Redis loses nothing).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
