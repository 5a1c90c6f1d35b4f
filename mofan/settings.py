"""Django settings, read from the environment.

Defaults give the embedded demo (SQLite under var/, no other server). Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, MOFAN_FIELD_KEY, MOFAN_HASH_KEY, MOFAN_AUDIT_KEY, ALLOWED_HOSTS and
MOFAN_HTTPS=1.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mofan import logconfig
from mofan.envparse import (
    env_bool,
    env_choice,
    env_hex_key,
    env_hex_keys,
    env_int,
    env_list,
    env_networks,
    env_secret,
    env_str,
    env_syslog_address,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOFAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("MOFAN_DEBUG", False)
DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = DATABASE_URL is None  # the SQLite demo profile: secrets may be generated under var/

SECRET_KEY = env_secret("SECRET_KEY", fallback_file=VAR_DIR / "secret_key" if EMBEDDED else None)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY 须为至少 50 个字符的随机字符串。")
# SM4 key for personal data at rest and the key of the HMAC used to search it by exact value.
FIELD_ENCRYPTION_KEY = env_hex_key(
    "MOFAN_FIELD_KEY", nbytes=16, fallback_file=VAR_DIR / "field_key" if EMBEDDED else None
)
FIELD_HASH_KEY = env_hex_key(
    "MOFAN_HASH_KEY", nbytes=32, fallback_file=VAR_DIR / "hash_key" if EMBEDDED else None
)
# While a key is rotated (`mofan rotate-keys`): the old ones, comma-separated hex.
FIELD_PREVIOUS_KEYS = env_hex_keys("MOFAN_FIELD_PREVIOUS_KEYS", nbytes=16)
HASH_PREVIOUS_KEYS = env_hex_keys("MOFAN_HASH_PREVIOUS_KEYS", nbytes=32)
# HMAC key of the audit chain: the database never holds it, so whoever can only write the
# database cannot forge a record or a link. Previous keys (comma-separated hex) check older links.
AUDIT_KEY = env_hex_key(
    "MOFAN_AUDIT_KEY", nbytes=32, fallback_file=VAR_DIR / "audit_key" if EMBEDDED else None
)
AUDIT_PREVIOUS_KEYS = env_hex_keys("MOFAN_AUDIT_PREVIOUS_KEYS", nbytes=32)
# Signed checkpoints of the chain's end, outside the database (make the file append-only with
# `chattr +a`), and optionally to syslog: "/dev/log" or "host:port" (UDP).
AUDIT_CHECKPOINT_FILE = Path(
    env_str("MOFAN_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit" / "checkpoints.log"))
)
AUDIT_CHECKPOINT_SECONDS = env_int("MOFAN_AUDIT_CHECKPOINT_SECONDS", 60, minimum=1)
AUDIT_SYSLOG = env_syslog_address("MOFAN_AUDIT_SYSLOG")
# With a worker queue (REDIS_URL), records are chained by the worker right after each commit, so
# requests do not wait for it; without one, in-process after the commit.
AUDIT_LINK_IN_WORKER = env_bool("MOFAN_AUDIT_LINK_IN_WORKER", env_str("REDIS_URL") is not None)

# The key of backup archives: only `mofan backup` and `mofan restore` need it, so the web server may
# run without it; kept apart from the backups (see the README's operations section).
BACKUP_KEY = (
    env_hex_key(
        "MOFAN_BACKUP_KEY", nbytes=32, fallback_file=VAR_DIR / "backup_key" if EMBEDDED else None
    )
    if EMBEDDED or env_str("MOFAN_BACKUP_KEY") is not None
    else None
)
BACKUP_DIR = Path(env_str("MOFAN_BACKUP_DIR", str(VAR_DIR / "backups")))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mofan.core",
    "mofan.audit",
    "mofan.access",
    "mofan.orgs",
    "mofan.ledger",
    "mofan.notify",
    "mofan.meetings",
    "mofan.dues",
    "mofan.members",
    "mofan.recruitment",
    "mofan.assessment",
    "mofan.inspection",
    "mofan.discipline",
    "mofan.housekeeping",
    "mofan.ops",
    "mofan.console",
    "mofan.dashboard",
    "mofan.demo",
]

MIDDLEWARE = [
    # The security headers first, so that every response carries them, static files and the
    # answers of the middleware below (a refused host, a redirect) included.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mofan.core.middleware.NoStoreMiddleware",
    "mofan.core.middleware.NulInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mofan.audit.middleware.RequestContextMiddleware",
    "mofan.access.middleware.LoginPolicyMiddleware",
    # axes goes last so it sees the outcome of the authentication above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mofan.urls"
# Plain inputs and selects written out in Python, the rest through Django's widget templates.
FORM_RENDERER = "mofan.core.renderers.FastWidgets"
WSGI_APPLICATION = "mofan.wsgi.application"

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
                "mofan.dashboard.context_processors.shell",
            ],
        },
    },
]

if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("MOFAN_SQLITE_PATH", str(VAR_DIR / "mofan.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
else:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL 无法解析：{exc}") from exc
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL 必须指向 PostgreSQL（postgres://…）。")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL 必须以 redis://、rediss:// 或 unix:// 开头。")
    CACHES = {
        "default": {
            "BACKEND": "mofan.core.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            # The test suite runs in two processes side by side (pytest-xdist, `make test`) against
            # one Redis: each keeps its own keys. Empty outside the suite.
            "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", ""),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without Redis, background jobs run in-process at the moment they are queued.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Figures kept by the minute's jobs (the board, the compliance results): with a worker the pages
# only read them; without one the reader counts what is due first.
KEPT_BY_WORKER = not CELERY_TASK_ALWAYS_EAGER
CELERY_TIMEZONE = "Asia/Shanghai"
# Periodic jobs for `celery -A mofan.celery beat`; on the embedded default run `mofan ledger-reminders`,
# `mofan inspection-reminders`, `mofan discipline-reminders` and `mofan cleanup` daily.
CELERY_BEAT_SCHEDULE = {
    "ledger-daily-reminders": {
        "task": "mofan.ledger.send_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "meetings-period-reminders": {
        "task": "mofan.meetings.send_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    "dues-arrears-check": {
        "task": "mofan.dues.check_arrears",
        "schedule": crontab(hour=8, minute=50),
    },
    "members-due-check": {
        "task": "mofan.members.check_due",
        "schedule": crontab(hour=8, minute=55),
    },
    "recruitment-overdue-check": {
        "task": "mofan.recruitment.check_overdue",
        "schedule": crontab(hour=9, minute=0),
    },
    "inspection-reminders": {
        "task": "mofan.inspection.send_reminders",
        "schedule": crontab(hour=9, minute=5),
    },
    "discipline-reminders": {
        "task": "mofan.discipline.send_reminders",
        "schedule": crontab(hour=9, minute=10),
    },
    "assessment-compute": {
        "task": "mofan.assessment.compute_open_rounds",
        "schedule": crontab(hour=3, minute=30),
    },
    # The leader's dashboard's figures of the day (and so the month's row of the trend).
    "dashboard-snapshot": {
        "task": "mofan.dashboard.take_snapshot",
        "schedule": crontab(hour=3, minute=45),
    },
    "notify-deliver": {"task": "mofan.notify.deliver", "schedule": 300.0},
    # The supervisor board's kept figures of the ledgers changed in the last minute.
    "ledger-board-figures": {"task": "mofan.ledger.refresh_board", "schedule": 60.0},
    "meetings-compliance-recount": {
        "task": "mofan.meetings.recount_compliance",
        "schedule": 60.0,
    },
    "meetings-compliance-check": {
        "task": "mofan.meetings.check_compliance",
        "schedule": crontab(hour=2, minute=40),
    },
    "ledger-board-check": {
        "task": "mofan.ledger.check_board",
        "schedule": crontab(hour=2, minute=20),
    },
    # Chains records a crashed process left pending and writes a checkpoint of the chain's end.
    "audit-checkpoint": {"task": "mofan.audit.checkpoint", "schedule": 60.0},
    # The whole chain checked every night; a failure alarms the auditors and security admins.
    "security-check": {
        "task": "mofan.notify.security_check",
        "schedule": crontab(hour=2, minute=0),
    },
    "housekeeping-cleanup": {
        "task": "mofan.housekeeping.cleanup",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Links in e-mails and robot messages point here.
MOFAN_BASE_URL = env_str("MOFAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("MOFAN_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("MOFAN_EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env_str("MOFAN_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("MOFAN_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("MOFAN_EMAIL_TLS", False)
    EMAIL_TIMEOUT = 10
else:
    # No mail server configured: messages are written to files under var/mail for inspection.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("MOFAN_EMAIL_FROM", "mofan@localhost")

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mofan.access.backends.UsernameOrPhoneBackend",
]
# Argon2id: the strongest hasher Django ships.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "mofan.access.passwords.CharacterClassValidator"},
    {"NAME": "mofan.access.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# 巡视巡察 回避: a team member stands aside from a unit they left less than this many years ago.
INSPECTION_RECUSAL_YEARS = env_int("MOFAN_INSPECTION_RECUSAL_YEARS", 3, minimum=0)
# The working days after the feedback (巡察反馈) within which the target sends its 整改方案; its
# 整改情况报告 is due two months after the feedback.
INSPECTION_PLAN_WORKDAYS = env_int("MOFAN_INSPECTION_PLAN_WORKDAYS", 15, minimum=1)
PASSWORD_MAX_AGE_DAYS = env_int("MOFAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
# A new password may not be any of the account's last 5 (the current one included).
PASSWORD_HISTORY = env_int("MOFAN_PASSWORD_HISTORY", 5, minimum=1)
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "access:login"

# Lockout (django-axes; mofan/access/lockout.py). 等保 asks that failed logins be limited and the
# account locked. Counting per name alone let anyone lock anyone's account (five wrong passwords
# under a colleague's name) and let one address try every name; counting per address alone would
# lock a whole office behind one NAT. So failures within the cool-off count three ways, each
# with its own limit:
#   a name from one address: 5 (what users are told: "5 failures lock for 15 minutes");
#   one address, whatever names: 20 (one machine trying many names stops);
#   a name, from any addresses: 50 (the account itself locks under a guess spread over many
#     machines; locking someone else out now takes at least three addresses, not one).
# A successful login clears only that name's failures from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
LOCKOUT_LIMITS = [
    env_int("MOFAN_LOCKOUT_FAILURES", 5, minimum=1),
    env_int("MOFAN_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1),
    env_int("MOFAN_LOCKOUT_ACCOUNT_FAILURES", 50, minimum=1),
]
AXES_FAILURE_LIMIT = LOCKOUT_LIMITS[0]
AXES_HANDLER = "mofan.access.lockout.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MOFAN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = False  # the handler clears the name-and-address count itself
AXES_LOCKOUT_CALLABLE = "mofan.access.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Idle timeout: the session ends after 30 minutes without a request — ended by
# LoginPolicyMiddleware from the time of the last request (access.services.session_still_active),
# so that a page view does not rewrite the session row. The row itself lives a little longer
# than the idle limit: it is rewritten at most once a minute.
SESSION_IDLE_SECONDS = env_int("MOFAN_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 120
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute limit: a session ends this many hours after login, however active.
SESSION_MAX_HOURS = env_int("MOFAN_SESSION_MAX_HOURS", 12, minimum=1)

OTP_TOTP_ISSUER = "模范机关建设平台"
# The management terminals (等保 8.1.4.4 c): admin accounts work only from these addresses.
ADMIN_NETWORKS = env_networks("MOFAN_ADMIN_NETWORKS")


# Uploaded office files (.xlsx, .docx, .ofd): what the zip guard lets them expand to, checked from
# the central directory before anything is read.
OFFICE_MAX_EXPANDED_MB = env_int("MOFAN_OFFICE_MAX_EXPANDED_MB", 200, minimum=1)
OFFICE_MAX_ENTRIES = env_int("MOFAN_OFFICE_MAX_ENTRIES", 5000, minimum=10)
OFFICE_MAX_RATIO = env_int("MOFAN_OFFICE_MAX_RATIO", 100, minimum=10)
# The daily clean-up (`mofan cleanup`): import files and error workbooks go after
# MOFAN_IMPORT_RETENTION_DAYS, discarded and orphaned uploads after MOFAN_TEMP_RETENTION_DAYS.
IMPORT_RETENTION_DAYS = env_int("MOFAN_IMPORT_RETENTION_DAYS", 1, minimum=1)
TEMP_RETENTION_DAYS = env_int("MOFAN_TEMP_RETENTION_DAYS", 7, minimum=1)

# HTTPS hardening, on in production behind a TLS-terminating proxy.
HTTPS = env_bool("MOFAN_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("MOFAN_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response, static files and errors included:
# everything from this server, no inline script, style or event handler anywhere (pages use
# data- attributes and core/static/core/mofan.js; htmx's injected indicator style is off;
# ECharts draws its tooltip on the canvas; Swagger UI loads its start-up script as a file).
# data: images are Tabler's CSS icons (select arrows, checkboxes) and Swagger UI's.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # HSTS preload is a public-internet list; not for an intranet.
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("MOFAN_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from npm at set-up (node_modules/) and are served by the app itself.
_NODE = BASE_DIR / "node_modules"
_TABLER = _NODE / "@tabler" / "core" / "dist"
STATICFILES_DIRS = [
    # Only the parts we serve: dist/libs bundles third-party files whose source maps are missing.
    ("vendor/tabler/css", _TABLER / "css"),
    ("vendor/tabler/js", _TABLER / "js"),
    ("vendor/tabler/img", _TABLER / "img"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
# Single files of packages whose folders hold far more than we serve (see core/finders.py).
_TOM = _NODE / "tom-select" / "dist" / "js"
_MONTH_SELECT = _NODE / "flatpickr" / "dist" / "plugins" / "monthSelect"
VENDOR_FILES = {
    # The parts of ECharts the charts use (core/assets/echarts.js), built by make setup.
    "vendor/echarts/echarts.mofan.min.js": BASE_DIR / "build" / "echarts.mofan.min.js",
    "vendor/echarts/echarts.trends.min.js": BASE_DIR / "build" / "echarts.trends.min.js",
    # Searchable pickers (core/widgets.py): Tom Select, with Tabler's touches in tabler-vendors.css.
    "vendor/tom-select/tom-select.complete.min.js": _TOM / "tom-select.complete.min.js",
    "vendor/tom-select/tom-select.complete.min.js.map": _TOM / "tom-select.complete.min.js.map",
    "vendor/tom-select/tom-select.bootstrap5.min.css": _TOM.parent
    / "css"
    / "tom-select.bootstrap5.min.css",
    "vendor/tom-select/tom-select.bootstrap5.min.css.map": _TOM.parent
    / "css"
    / "tom-select.bootstrap5.min.css.map",
    # Date pickers in Chinese whatever the browser's language (the native one follows the
    # browser's, mm/dd/yyyy in an English one); phones keep their native picker.
    "vendor/flatpickr/flatpickr.min.js": _NODE / "flatpickr" / "dist" / "flatpickr.min.js",
    "vendor/flatpickr/flatpickr.min.css": _NODE / "flatpickr" / "dist" / "flatpickr.min.css",
    "vendor/flatpickr/zh.js": _NODE / "flatpickr" / "dist" / "l10n" / "zh.js",
    # Months (党费) picked as 2026年11月, on the pages that ask for one. The served name ends as
    # the file's own: the finder lists files by their folder.
    "vendor/flatpickr/monthSelect/index.js": _MONTH_SELECT / "index.js",
    "vendor/flatpickr/monthSelect/style.css": _MONTH_SELECT / "style.css",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "mofan.core.finders.VendorFileFinder",
]
STORAGES = {
    "default": {"BACKEND": "mofan.core.files.MediaStorage"},
    "staticfiles": {
        "BACKEND": "mofan.core.staticfiles.StaticStorage"
        if not (DEBUG or EMBEDDED)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The embedded demo (`make run`) serves the front-end packages straight from where they are
# installed, without `collectstatic`; production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = DEBUG or EMBEDDED
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    # Token first, so a bad or missing credential answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mofan.access.authentication.PolicyTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: people read the API at /api/docs/. DRF's browsable pages carry inline styles the
    # Content-Security-Policy refuses, and would answer HTML where the schema says JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "mofan.core.api.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "mofan.core.schema.MofanAutoSchema",
    "EXCEPTION_HANDLER": "mofan.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "模范机关建设平台 API",
    "DESCRIPTION": "组织、人员、党员、审计等接口。所有接口按登录用户的管辖范围过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's description is for signed-in users too: nothing is served to a stranger.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and its favicon from the drf-spectacular-sidecar package: nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ItemStateEnum": "mofan.ledger.choices.ItemState",
        "MeetingKindEnum": "mofan.meetings.choices.MeetingKind",
        "AttendanceStatusEnum": "mofan.meetings.choices.AttendanceStatus",
        "ComplianceStatusEnum": ["met", "unmet", "open", "none", "future"],
        "IndicatorKindEnum": "mofan.assessment.choices.IndicatorKind",
        "CheckKindEnum": "mofan.assessment.choices.CheckKind",
        "OrgKindEnum": "mofan.orgs.choices.OrgKind",
        "GradeEnum": "mofan.assessment.choices.Grade",
        "TeamRoleEnum": "mofan.inspection.choices.TeamRole",
        "FindingCategoryEnum": "mofan.inspection.choices.FindingCategory",
        "LetterKindEnum": "mofan.inspection.choices.LetterKind",
        "CheckOutcomeEnum": "mofan.discipline.choices.CheckOutcome",
        "LeadSourceEnum": "mofan.discipline.choices.Source",
        "TalkKindEnum": "mofan.discipline.choices.TalkKind",
        "DuesCategoryEnum": "mofan.dues.choices.DuesCategory",
    },
}

# The console and a rotating file under MOFAN_LOG_DIR (default var/log): see mofan/logconfig.py.
LOG_LEVEL = env_choice("MOFAN_LOG_LEVEL", "WARNING", logconfig.LEVELS, upper=True)
LOGGING = logconfig.logging_config(LOG_LEVEL, logconfig.log_dir())

AXES_USERNAME_CALLABLE = "mofan.access.backends.axes_username"
