"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ).
The embedded default is SQLite with Celery running eagerly; setting DATABASE_URL and
CELERY_BROKER_URL moves the same code onto PostgreSQL, Redis and real workers.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("APP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "treebeard",
    "django_filters",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "core",
    "cadres",
    "tolerance",
    "assessments",
    "promotions",
    "clarifications",
    "register",
    "workbench",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language chosen with set_language, else Chinese; never Accept-Language.
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's roles, authorities and navigation from the cache (workbench.nav).
    "workbench.nav.RememberedUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    # A page that needs a policy no jurisdiction has published explains it (never a 500).
    "core.middleware.PolicyNotInForceMiddleware",
    "axes.middleware.AxesMiddleware",
    # Tasks in-process (no broker): runs the recovery that beat runs otherwise.
    "core.embedded_beat.EmbeddedBeatMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                # Django's CSRF token at a tenth of the CPU (replaces the built-in one's).
                "core.csrf.csrf",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbench.nav.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Persistent connections: a new PostgreSQL connection costs ~17 ms per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default, made fit for one office's concurrent users: write-ahead logging
    # (readers never wait for the writer), transactions that take the write lock when they
    # begin (IMMEDIATE: no deadlock between two upgrading readers, which SQLite answers
    # with "database is locked" at once), and writers that wait for it instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def postgres_options(database: dict) -> dict:
    """OPTIONS of a PostgreSQL database entry: the ORM's keyed lookups as server-side
    prepared statements, planned once per connection (core.pg_prepared; off behind
    PgBouncer's transaction pooling), and no JIT compilation. PostgreSQL compiles a
    statement whose estimated cost passes jit_above_cost; a list page's statement with
    correlated subqueries did, and its compilation took 3.7 s of the 3.7 s it ran (the
    register filtered by conclusion on the 1,000,000-cadre bench: 53 ms without)."""
    from core.pg_prepared import database_options

    options = database.get("OPTIONS", {})
    return {
        **options,
        **database_options(env.bool("DB_PREPARED_STATEMENTS", default=True)),
        "options": " ".join(filter(None, [options.get("options", ""), "-c jit=off"])),
    }


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
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

# django-guardian: no anonymous object permissions in this product.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: lock a username+IP out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = (
    sorted(p for p in (BASE_DIR / "locale").iterdir() if p.is_dir())
    if (BASE_DIR / "locale").is_dir()
    else []
)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"

# Uploads: bounded in memory and size; content is checked in core.uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_UNZIPPED_BYTES = env.int("UPLOAD_MAX_UNZIPPED_BYTES", default=500 * 1024 * 1024)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# A file chosen in a form that came back with errors is kept this long for the retry
# (core.kept_uploads); later the form asks for it again.
KEPT_UPLOAD_SECONDS = 24 * 3600
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Fonts for PDF rendering (installed by scripts/dev.sh; see core.fonts).
PDF_FONT_DIRS = env.list(
    "PDF_FONT_DIRS",
    default=[str(VAR_DIR / "fonts"), "/usr/share/fonts/opentype/noto"],
)

# PDF rendering runs in a child process bounded in time and memory (core.pdf_sandbox), so
# no document, however large its input, makes a web process or worker grow.
PDF_RENDER_ISOLATED = True
PDF_RENDER_MEMORY_MB = 768  # address space of the child (RLIMIT_AS), not its resident size
PDF_RENDER_CPU_SECONDS = 60
PDF_RENDER_TIMEOUT_SECONDS = 90
# Celery's prefork children are replaced once they hold this much resident memory (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000

# Bounds of every collection an import brings: a file beyond one is refused with a Chinese
# message and nothing written. Roster rows (cadres.roster); rows of the grades, incidents
# and evidence-workbook imports (assessments.imports); .lrmx files: bytes of one form, forms
# in one ZIP, résumé lines and family members of one form (cadres.lrmx).
ROSTER_IMPORT_MAX_ROWS = env.int("ROSTER_IMPORT_MAX_ROWS", default=200_000)
SHEET_IMPORT_MAX_ROWS = env.int("SHEET_IMPORT_MAX_ROWS", default=50_000)
LRMX_MAX_BYTES = env.int("LRMX_MAX_BYTES", default=10 * 2**20)  # a form with a photo: ~0.5 MB
LRMX_MAX_FILES_PER_ZIP = env.int("LRMX_MAX_FILES_PER_ZIP", default=2000)
LRMX_MAX_RESUME_LINES = env.int("LRMX_MAX_RESUME_LINES", default=2000)
LRMX_MAX_FAMILY_MEMBERS = env.int("LRMX_MAX_FAMILY_MEMBERS", default=50)
# Rows of a cadre's position history on one page of the cadre profile.
CADRE_HISTORY_PAGE_SIZE = 50
# Entries of a cadre's timeline (register.timeline) shown, newest first.
CADRE_TIMELINE_MAX_ITEMS = 200
# Rows per section (earlier cases, accountability matters, clarifications) of the tolerance
# history panel on the cadre page and the case page (tolerance/_history.html), newest first;
# a cut section says how many there are and links to the full cadre timeline.
CADRE_HISTORY_MAX_ROWS = env.int("CADRE_HISTORY_MAX_ROWS", default=50)

# Document kinds drafted, checked (核稿) and signed off (签发) before they are issued
# (core.drafts): by default every official document kind (core.models.DocumentKind). Kinds
# not listed are issued by their workflow's task directly.
DOCUMENT_SIGNOFF_KINDS = env.list(
    "DOCUMENT_SIGNOFF_KINDS",
    default=[
        "acceptance_notice",
        "non_acceptance_notice",
        "tolerance_ruling",
        "appeal_decision",
        "adjustment_proposal",
        "adjustment_decision",
        "exceptional_promotion",
        "clarification_notice",
    ],
)
# Who signs each kind off: kind -> role names (core.enums.Role values). A kind not listed is
# signed off by the issuing authority's approving leader (core.drafts.signing_roles), as the
# measures of the seeds give the approving leader the signature of every decision document.
# JSON in the environment, e.g. {"acceptance_notice": ["approving_leader", "intake_clerk"]}.
DOCUMENT_SIGNING_ROLES: dict[str, list[str]] = env.json("DOCUMENT_SIGNING_ROLES", default={})

# Finished register exports (their ZIP and Excel files) are kept this many days.
REGISTER_EXPORT_RETENTION_DAYS = env.int("REGISTER_EXPORT_RETENTION_DAYS", default=7)
# Finished imports (core.imports) keep their error workbook this many days.
IMPORT_JOB_RETENTION_DAYS = env.int("IMPORT_JOB_RETENTION_DAYS", default=7)
# A register export of at most this many documents runs inside the request; a larger one
# (or any, at 0) is queued for a Celery worker (register.jobs).
REGISTER_EXPORT_INLINE_MAX = env.int("REGISTER_EXPORT_INLINE_MAX", default=100)

# The public verification page (core.document_views): attempts per client IP per minute,
# and the largest file it reads (issued documents are a few pages).
DOCUMENT_VERIFY_PER_MINUTE = env.int("DOCUMENT_VERIFY_PER_MINUTE", default=20)
DOCUMENT_VERIFY_MAX_BYTES = env.int("DOCUMENT_VERIFY_MAX_BYTES", default=20 * 2**20)

# Tests only (config/settings/test.py): a task run in-process by the outbox raises its last
# failure instead of leaving the row for the drain (core.outbox).
OUTBOX_EAGER_RAISE = False

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
# Redis redelivers a task whose worker died (late acknowledgement) after this many seconds.
# It must exceed the longest task (CELERY_TASK_TIME_LIMIT) plus the longest retry countdown
# (retry_backoff_max, 600 s), or a task waiting for its retry would be delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800)
}
CELERY_TIMEZONE = TIME_ZONE
# Tasks run in-process (no broker): a task that fails after the commit is tried again this
# many times in-process, then left in the outbox for the in-process recovery, which runs
# at most every EMBEDDED_BEAT_SECONDS, after a request (core.embedded_beat).
OUTBOX_EAGER_ATTEMPTS = env.int("OUTBOX_EAGER_ATTEMPTS", default=3)
EMBEDDED_BEAT_SECONDS = env.int("EMBEDDED_BEAT_SECONDS", default=60)
EMBEDDED_BEAT_TASKS = [
    "core.tasks.drain_outbox",
    "tolerance.beat_tasks.requeue_stalled_rulings",
    "core.tasks.warn_missing_calendar",
    "core.tasks.purge_kept_uploads",
]
# A decided case whose rulings have not appeared this long after the task was sent gets the
# task again (tolerance.recovery), at most this many times.
TOLERANCE_RULING_STALL_MINUTES = env.int("TOLERANCE_RULING_STALL_MINUTES", default=30)
TOLERANCE_RULING_MAX_REQUEUES = env.int("TOLERANCE_RULING_MAX_REQUEUES", default=3)
CELERY_BEAT_SCHEDULE: dict = {
    # Tasks written to the outbox while the broker was down (core.outbox): every minute.
    "core-drain-outbox": {"task": "core.tasks.drain_outbox", "schedule": 60.0},
    # Deadline reminders, escalation of overdue cases and overdue remedial measures: every day
    # at 08:30 in CELERY_TIMEZONE (Asia/Shanghai); running it twice sends nothing twice.
    "tolerance-deadline-notices": {
        "task": "tolerance.beat_tasks.send_deadline_notices",
        "schedule": crontab(hour=8, minute=30),
    },
    # Decided cases whose rulings never arrived get their ruling task again: every 15 min.
    "tolerance-requeue-stalled-rulings": {
        "task": "tolerance.beat_tasks.requeue_stalled_rulings",
        "schedule": crontab(minute="*/15"),
    },
    # November and December: administrators are told when next year's holiday schedule is
    # missing (at most once a week each): every day at 09:00.
    "core-warn-missing-calendar": {
        "task": "core.tasks.warn_missing_calendar",
        "schedule": crontab(month_of_year="11,12", hour=9, minute=0),
    },
    # Files of register exports past REGISTER_EXPORT_RETENTION_DAYS are deleted: daily, 03:15.
    "register-expire-exports": {
        "task": "register.tasks.expire_exports",
        "schedule": crontab(hour=3, minute=15),
    },
    # Error workbooks of imports past IMPORT_JOB_RETENTION_DAYS are deleted: daily, 03:25.
    "core-expire-imports": {
        "task": "core.tasks.expire_imports",
        "schedule": crontab(hour=3, minute=25),
    },
    # Files kept for a form's retry past KEPT_UPLOAD_SECONDS are deleted: every hour.
    "core-purge-kept-uploads": {
        "task": "core.tasks.purge_kept_uploads",
        "schedule": crontab(minute=40),
    },
    # The yearly up/down trigger scan over last year's evidence: 15 January, 02:00.
    "promotions-yearly-scan": {
        "task": "promotions.tasks.scan_last_year",
        "schedule": crontab(month_of_year=1, day_of_month=15, hour=2, minute=0),
    },
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# The client IP behind a reverse proxy (core/client_ip.py), for the lockout, the audit log
# and the rate limits: a header the proxy always overwrites (a request.META key such as
# HTTP_X_REAL_IP), or the number of trusted proxies appending to X-Forwarded-For.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.logging.RedactSensitiveFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "core.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Roster import: rows per bulk INSERT.
IMPORT_BATCH_SIZE = env.int("IMPORT_BATCH_SIZE", default=2000)

# REST API tokens (core/api_tokens.py): valid this many days after issue.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
# Requests per client before 429: per user when logged in, per client IP otherwise.
API_THROTTLE_USER = env("API_THROTTLE_USER", default="1200/hour")
API_THROTTLE_ANON = env("API_THROTTLE_ANON", default="60/hour")

# REST API (config/api.py): session or token auth, the UI's permission helpers, keyset
# pagination, one error shape {"error": {"code", "message", "fields"}} (core/api_errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is answered 401 with WWW-Authenticate: Token.
        "core.api_tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api_access.ApiAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["core.api_access.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api_access.KeysetPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "core.api_errors.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api_throttles.AnonThrottle",
        "core.api_throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "user": API_THROTTLE_USER},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "干部案件管理 API",
    "DESCRIPTION": (
        "Units, cadres, assessments, tolerance cases, adjustment proposals and issued "
        "documents, with the same permissions as the web pages. Authenticate with the "
        "session or `Authorization: Token <key>`. Errors: "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`.'
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name ("state", "grade", "kind") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "tolerance.enums.CaseState",
        "DeliveryMethodEnum": "tolerance.models.delivery.DeliveryMethod",
        "AdjustMethodEnum": "promotions.enums.AdjustMethod",
        "ProposalStateEnum": "promotions.enums.ProposalState",
        "GradeEnum": "assessments.enums.Grade",
        "TeamGradeEnum": "assessments.enums.TeamGrade",
        "TargetGradeEnum": "assessments.enums.TargetGrade",
        "DocumentKindEnum": "core.models.DocumentKind",
        "IncidentKindEnum": "assessments.enums.IncidentKind",
        "UnitKindEnum": "cadres.enums.UnitKind",
    },
    # The docs page (config/api.py) serves Swagger UI from static/vendor/swagger-ui.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Seconds a user's resolved reach over cadres (cadres.access) stays in the cache; every
# change of units, authorities or grants invalidates it at once. 0 turns it off.
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=900)
FORM_RENDERER = "core.forms_renderer.FormRenderer"  # select boxes without the template engine
