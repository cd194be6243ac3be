"""Settings, all from the environment (or a local `.env`); see README for the variables."""

import datetime
import hashlib
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

# Keys for personal data at rest (see core.crypto). Required: without them nothing can be read or written.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY")
ID_HASH_KEY = env("ID_HASH_KEY")
# During a key rotation only (manage.py rotate_keys): the previous keys, comma-separated, still accepted for reading.
FIELD_ENCRYPTION_OLD_KEYS = env("FIELD_ENCRYPTION_OLD_KEYS", default="")
ID_HASH_OLD_KEYS = env("ID_HASH_OLD_KEYS", default="")
# Key of the audit log's hash chain and of the disbursement seals (audit.chain). Older .env files without it derive
# one from SECRET_KEY; `python -m config.keys` writes a separate one.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", default="") or hashlib.sha256(f"audit-chain|{SECRET_KEY}".encode()).hexdigest()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_filters",
    "django_tables2",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "funds",
    "beneficiaries",
    "imports",
    "evaluation",
    "reports",
    "payouts",
    "oversight",
    "audit",
    "accounts",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "config.middleware.MalformedParametersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.middleware.AuditMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.AccountRequirementsMiddleware",
    "config.middleware.NoStoreMiddleware",
    "config.middleware.DownloadDoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of every authentication attempt (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out users and counts failures (5 within the window lock the account for 30 minutes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.middleware.account_pending",
            ],
        },
    },
]

# Without DATABASE_URL the app runs on an embedded SQLite file in the project folder.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The federation's reference data, loaded by `manage.py setup_reference_data` (fixtures/README.md). Another province
# lists its own files here; rows are matched by natural key, so running it again creates only what is missing.
REFERENCE_DATA_FIXTURES = env.list(
    "REFERENCE_DATA_FIXTURES",
    default=[
        str(BASE_DIR / "fixtures" / name)
        for name in (
            "organizations.json",
            "programs.json",
            "indicator_templates.json",
            "monitoring_rules.json",
            "scoring_policies.json",
            "bank_templates.json",
        )
    ],
)
AUTH_USER_MODEL = "funds.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "funds:home"
LOGOUT_REDIRECT_URL = "login"

# 等保 2.0 level 3: length ≥ 10, three character classes, not one of the last five, not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]

# Lockout (django-axes): 5 failed sign-ins for a user name lock it for 30 minutes, whatever the address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by address too. Deliberately not: a prefecture union's staff share one NAT address, and one
# mistyping (or hostile) person would lock the whole office out. Accounts are what 等保 asks to lock.
# models.W040: the payments' list index carries a non-key column on PostgreSQL (INCLUDE); SQLite builds it without.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions: 30 minutes idle (renewed on every request), 12 hours absolute (accounts.middleware), a new session id
# at sign-in (django.contrib.auth.login), ended when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60

# Second factor (TOTP, django-otp) for finance staff and administrators. On unless DEBUG; TWO_FACTOR_REQUIRED=True
# turns it on in development too.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "工会专项资金绩效系统"
# No TOTP secret in the admin's lists and forms (accounts/admin.py also removes django-otp's QR-code view).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    # Uploads, kept parses and finalised reports are encrypted at rest (core.crypto).
    # FILE_STORAGE_BACKEND switches to shared storage, e.g. django-storages' "storages.backends.s3.S3Storage".
    "default": {"BACKEND": env("FILE_STORAGE_BACKEND", default="core.crypto.EncryptedFileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# "What needs me now" on the home page: each app's providers (core.todos), in the order they are listed.
# When the model workers' living surveys of a year are due (evaluation's 年度评价参数): the living-survey upload warns
# after it. Named here, as the to-do providers are, so the upload pipeline needs no import of the evaluation app.
SURVEY_DEADLINE_PROVIDER = "evaluation.deadlines.survey_deadline"
# The submission board (funds) shows the program-year's performance calendar, which reports computes.
BOARD_CALENDAR_PROVIDER = "reports.calendar.board_calendar"

# What else 复制上年补助标准 copies in the same action (modules with preview() and apply()): the indicator targets.
STANDARD_COPY_COMPANIONS = ["evaluation.year_copy"]

HOME_TODO_PROVIDERS = [
    "reports.todos.finance_todos",
    "reports.todos.performance_todos",
    "reports.todos.calendar_todos",
    "funds.todos.finance_todos",
    "payouts.todos.finance_todos",
    "oversight.todos.objection_todos",
    "evaluation.todos.finance_todos",
    "funds.todos.operator_todos",
    "evaluation.todos.operator_todos",
    "reports.todos.auditor_todos",
    "audit.todos.integrity_todos",
]
# Tables no process of the application may delete from or truncate, with the only rights its role gets on them
# (`manage.py create_app_role`); their triggers refuse the rest even to the owner (core.db_guards).
APPEND_ONLY_TABLES = {
    "audit_auditevent": ("SELECT", "INSERT"),
    "audit_audithead": ("SELECT", "INSERT", "UPDATE"),  # the head moves forward (a trigger refuses backwards)
    "funds_disbursement": ("SELECT", "INSERT", "UPDATE"),  # posted → reversed only (trigger)
    "funds_disbursementreversal": ("SELECT", "INSERT"),
    "reports_reportsnapshot": ("SELECT", "INSERT"),
    "reports_monitoringsnapshot": ("SELECT", "INSERT"),
    "beneficiaries_rosterevent": ("SELECT", "INSERT"),
    "evaluation_targettableversion": ("SELECT", "INSERT"),
    "core_keyfingerprint": ("SELECT",),  # recorded by migrate and rotate_keys, which run as the owner
}
# Names this deployment's database (host, port, name) without its credentials: the default cache key prefix and the
# audit checkpoint's file name, so deployments sharing a host or a DATA_DIR never read each other's.
_database = DATABASES["default"]
DATABASE_IDENTITY = hashlib.sha256(
    f"{_database.get('HOST', '')}:{_database.get('PORT', '')}/{_database.get('NAME', '')}".encode()
).hexdigest()[:12]
# State the application keeps outside the database: the audit checkpoint, the default progress cache.
DATA_DIR = env("DATA_DIR", default=str(BASE_DIR / "var"))
# The audit chain's end is also written here (signed), at most every AUDIT_CHECKPOINT_SECONDS.
AUDIT_CHECKPOINT_FILE = env("AUDIT_CHECKPOINT_FILE", default="")
AUDIT_CHECKPOINT_SECONDS = env.int("AUDIT_CHECKPOINT_SECONDS", default=60)

# Shared between the web processes and the import worker (import progress); use redis:// in production.
# The default lives in this deployment's own DATA_DIR (never a directory every instance on the host shares), and
# keys carry a prefix naming the deployment's database, so two deployments on one Redis never read each other's
# batch progress (whose keys are batch numbers).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{Path(DATA_DIR) / 'cache'}")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default=DATABASE_IDENTITY)

# Lists (core.lists): django-tables2 renders with the project's own table markup.
DJANGO_TABLES2_TEMPLATE = "core/table.html"

# Upload limits (imports.workbooks); the web server and Django cap the request body too.
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_INFLATED_BYTES = env.int("IMPORT_MAX_INFLATED_BYTES", default=300 * 1024 * 1024)
IMPORT_MAX_ZIP_ENTRIES = env.int("IMPORT_MAX_ZIP_ENTRIES", default=500)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=500)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
# The parser runs in a child process with this much address space and time (imports.sandbox).
IMPORT_PARSE_MEMORY_BYTES = env.int("IMPORT_PARSE_MEMORY_BYTES", default=2 * 1024**3)
IMPORT_PARSE_SECONDS = env.int("IMPORT_PARSE_SECONDS", default=300)
# Files above this many bytes are validated and imported by the background worker, with a progress bar.
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=256 * 1024)
# A batch 校验中 / 导入中 whose worker has sent no heartbeat for this long is handed back to the uploader.
IMPORT_STALE_SECONDS = env.int("IMPORT_STALE_SECONDS", default=600)
# The 自评表 label of the current appropriation: 当年财政拨款 (default) or 本年财政拨款, as the province prints it.
CURRENT_FISCAL_LABEL = env("CURRENT_FISCAL_LABEL", default="")

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content security policy (Django's own): our origin only; no inline script or style attributes; no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# HTTPS settings: on unless DEBUG. HTTPS=False serves plain HTTP (e.g. `make serve` on 127.0.0.1, or behind a
# proxy on a private network); production sits behind TLS and keeps the default.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # One JSON line per audit event (control characters escaped), for a central log collector; the database
    # chain (audit.AuditEvent) is the record of authority.
    "loggers": {
        "audit": {"handlers": ["console"], "level": env("AUDIT_LOG_LEVEL", default="INFO"), "propagate": False}
    },
}

# 结果应用: what each grade of a finalised self-evaluation usually means for next year's budget (finance records the
# decision, with the proposed budget and reasons; another province writes its own wording here).
RESULT_APPLICATION_LABELS = {"优": "优先保障", "良": "按需安排", "中": "压减", "差": "取消或暂停"}
