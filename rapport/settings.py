"""Server settings for Rapport.

Every value here comes from an environment variable with a default that works out of the
box: check out the repository, run ``make demo`` and you have a working installation on
SQLite. Each business's own choices (thresholds, cadences, weights) are fields on
``accounts.Workspace``, never environment variables. ``docs/settings.md`` documents every
variable; a test fails when one is missing there.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envfloat(name: str, default: float) -> float:
    return float(os.getenv(name, str(default)))


def envstr(name: str, default: str) -> str:
    return os.getenv(name, default)


def database_from_url(url: str) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` into a Django dict."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(
                parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/")
            )
            if parts.path not in ("", "/")
            else ":memory:",
            "OPTIONS": {
                # WAL lets the web server read while an import or task writes. Reads go
                # through memory-mapped pages (up to 1 GiB of the file) instead of copies:
                # the dashboards' refresh reads a quarter's rows in half the time.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA mmap_size=1073741824;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Each web thread keeps its connection between requests: opening one (and its
            # pragmas) costs about as much as storing a public answer.
            "CONN_MAX_AGE": 60,
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"RAPPORT_DATABASE_URL: unsupported scheme {parts.scheme!r}")


# Where the embedded database, uploaded import files and other state live.
DATA_DIR = Path(envstr("RAPPORT_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()

DEBUG = envbool("RAPPORT_DEBUG", "false")
# A fixed development key is fine on a laptop; production must set RAPPORT_SECRET_KEY
# (`rapport serve` says so on start while the default is in use: lib/serving.py).
DEVELOPMENT_SECRET_KEY = "rapport-insecure-development-key-change-me"  # noqa: S105 - public on purpose
SECRET_KEY = envstr("RAPPORT_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [
    h.strip()
    for h in envstr("RAPPORT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in envstr("RAPPORT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Served over HTTPS (docs/settings.md): secure cookies, plain HTTP redirected, and HSTS.
HTTPS = envbool("RAPPORT_HTTPS", "false")
SESSION_COOKIE_SECURE = envbool("RAPPORT_SECURE_COOKIES", "true" if HTTPS else "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("RAPPORT_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
# They concern the host Rapport answers on and the hosts under it (rarely any), not the
# business's other sites; the preload directive does nothing until someone submits the domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# Behind a reverse proxy that ends TLS: trust its X-Forwarded-Proto header, and the address it
# appends to X-Forwarded-For as the client's (rate limits), only then.
BEHIND_PROXY = envbool("RAPPORT_BEHIND_PROXY", "false")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATABASE_URL = envstr("RAPPORT_DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: one SQLite file under DATA_DIR, created on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'rapport.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # Only for its static files: the API docs' page loads Swagger UI from the app, never a CDN.
    "ninja",
    # Failed sign-ins counted in the database, so every web process sees the same count.
    "axes",
    # Two-factor sign-in: time-based codes (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rapport.workers",
    "rapport.accounts",
    "rapport.people",
    "rapport.understanding",
    "rapport.feedback",
    "rapport.intake",
    "rapport.insights",
    "rapport.knowledge",
    "rapport.inbox",
    "rapport.predictions",
    "rapport.outreach",
    "rapport.privacy",
    "rapport.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves CSS and the vendored htmx from the package itself: no CDN, no collectstatic.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session, sign-in and messages middleware, except on the answering pages (no
    # login, no session: rapport/feedback/middleware.py).
    "rapport.feedback.middleware.SessionOutsideAnswers",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "rapport.feedback.middleware.AuthenticationOutsideAnswers",
    "rapport.feedback.middleware.MessagesOutsideAnswers",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the usual header built once (rapport/lib/csp.py).
    "rapport.lib.csp.CSPMiddleware",
    # Near the end, so it sees a view's error first: a locked or full database answers 503
    # "try again" in plain words instead of a 500 (rapport/lib/busy.py).
    "rapport.lib.busy.DatabaseBusyMiddleware",
    # Last: it turns a locked-out sign-in into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

# --- Sign-in protection (docs/security.md) --------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins that lock an account, and separately an address, for the lockout's minutes.
AXES_FAILURE_LIMIT = envint("RAPPORT_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("RAPPORT_LOGIN_LOCKOUT_MINUTES", 15))
# The account's count and the address's (signin.SignInHandler: an address gets 3x the limit).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "rapport.accounts.signin.SignInHandler"
AXES_LOCKOUT_CALLABLE = "rapport.accounts.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
# A lockout lasts its minutes from the failure that caused it: more wrong passwords while
# locked do not keep a member out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Addresses are personal data: keep only the failures the count needs (they expire with
# the lockout), not a log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# The sign-in form names the e-mail field "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "rapport.accounts.signin.attempted_email"
AXES_CLIENT_IP_CALLABLE = "rapport.accounts.signin.attempt_address"
OTP_TOTP_ISSUER = envstr("RAPPORT_TOTP_ISSUER", "Rapport")

# --- Content-Security-Policy (docs/security.md) ---------------------------------------------
# Every script and style comes from Rapport's own static files: no inline code, no outside
# host. Pages refuse to be framed, except the survey embed and the chat widget (their views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rapport.accounts.context.workspace_context",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = envstr("RAPPORT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# No collectstatic step: whitenoise serves straight from the package (see MIDDLEWARE).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
# Uploaded import files are streamed to disk, never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest import file the web UI accepts; the CLI has no limit.
RAPPORT_MAX_UPLOAD_MB = envint("RAPPORT_MAX_UPLOAD_MB", 512)

TASKS = {
    "default": {
        "BACKEND": envstr("RAPPORT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `rapport worker` (rapport/workers/running.py): a worker silent this long is taken for dead
# and its task runs again; a task failing for a passing reason (database busy, e-mail server
# down) runs again after RETRY × 2ⁿ seconds, at most MAX_ATTEMPTS times in all.
RAPPORT_WORKER_DEAD_AFTER = envfloat("RAPPORT_WORKER_DEAD_AFTER", 30.0)
RAPPORT_TASK_RETRY_SECONDS = envfloat("RAPPORT_TASK_RETRY_SECONDS", 30.0)
RAPPORT_TASK_MAX_ATTEMPTS = envint("RAPPORT_TASK_MAX_ATTEMPTS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("RAPPORT_LOG_LEVEL", "WARNING")},
}

# Nightly backups by the clock (rapport/accounts/tasks.py): where, and how many to keep.
# Empty: no scheduled backups (`rapport backup` still works by hand).
RAPPORT_BACKUP_DIR = envstr("RAPPORT_BACKUP_DIR", "")
RAPPORT_BACKUP_KEEP = envint("RAPPORT_BACKUP_KEEP", 7)

# Outgoing email (survey invitations, reminders, replies to respondents). Without an SMTP
# host, messages are printed to the console: nothing leaves the machine by surprise.
EMAIL_HOST = envstr("RAPPORT_SMTP_HOST", "")
EMAIL_PORT = envint("RAPPORT_SMTP_PORT", 587)
EMAIL_HOST_USER = envstr("RAPPORT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = envstr("RAPPORT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("RAPPORT_SMTP_TLS", "true")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = envstr("RAPPORT_EMAIL_FROM", "rapport@localhost")
# The address respondents' links point to, e.g. https://feedback.example.com (no slash).
RAPPORT_PUBLIC_URL = envstr("RAPPORT_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Answers one address may send to one survey's public link: "<count>/<seconds>".
RAPPORT_ANSWER_RATE = envstr("RAPPORT_ANSWER_RATE", "20/600")
# Double-submission keys of the public answering pages, per server process (the stored
# fingerprint still stops double submissions across processes: feedback/public_views.py). The
# public pages' rate limits are counted in the database instead (accounts/ratelimit.py), so
# every process and machine counts together; so is the sign-in lockout (AXES_ above).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
