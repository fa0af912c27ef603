"""Settings: read from the environment only, with safe defaults for the embedded mode.

Embedded mode (the default) runs everything from one checkout on SQLite in WAL mode,
with emails written to files under DATA_DIR. Production mode (PRODUCTION=True)
requires a SECRET_KEY and ALLOWED_HOSTS, and turns on every HTTPS protection so that
``technopolice check --deploy`` passes without a warning. docs/settings.md lists
every variable; a test fails when one is missing from it.
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from technopolice.lib.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# numba's machine code for the map index (mapdata/clusters/kernel.py) goes where the platform may
# write, whoever owns the installed package; numba reads the variable when first imported, after this.
os.environ["NUMBA_CACHE_DIR"] = os.environ.get("NUMBA_CACHE_DIR", str(DATA_DIR / "numba-cache"))

PRODUCTION = envbool("PRODUCTION", False)
DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    # Embedded mode keeps a generated key in DATA_DIR so sessions survive restarts;
    # production refuses to start without one.
    key = env("SECRET_KEY")
    if key or PRODUCTION:
        if not key:
            raise RuntimeError("PRODUCTION=True needs SECRET_KEY (or SECRET_KEY_FILE).")
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    # Without it every request would get a bare "Bad Request (400)": say why at start-up instead.
    raise RuntimeError("PRODUCTION=True needs ALLOWED_HOSTS (the site's domain names, comma-separated).")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "technopolice.pages",
    "technopolice.accounts",
    "technopolice.registry",
    "technopolice.moderation",
    "technopolice.activity",
    "technopolice.mapdata",
    "technopolice.documents",
    "technopolice.complaints",
    "technopolice.collectives",
    "technopolice.events",
    "technopolice.discussion",
    "technopolice.following",
    "technopolice.feeds",
    "technopolice.search",
    "technopolice.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "technopolice.lib.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp)...
    "django_otp.middleware.OTPMiddleware",
    # ...which moderators, administrators and anyone who turned it on must pass (accounts/middleware.py).
    "technopolice.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "technopolice.urls"
WSGI_APPLICATION = "technopolice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "technopolice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: SQLite in WAL mode unless DATABASE_URL says otherwise.
_SQLITE_PATH = DATA_DIR / "technopolice.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections, as for PostgreSQL. Each thread of a server process owns its own
    # connection (Django's are thread-local) and holds no transaction between requests (autocommit),
    # so a kept connection blocks no writer and no WAL checkpoint. Closing instead cost every request
    # and every task an open, three PRAGMAs and, for the last connection to close, a full WAL
    # checkpoint: a fifth of the task worker's CPU per email when profiled (see bench/complaints_load.py).
    # Health checks drop a connection that went bad instead of handing it to the next request.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write transactions.
        # secure_delete: a deleted or rewritten row (a closed account's email) is overwritten with
        # zeros in the file, not left in free space for anyone reading the raw file or a backup.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner thinks costly: 20 ms to seconds of compiling
    # for page queries that run in a few milliseconds (seen on the commune page, bench/).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }

# Background work: persisted in the database, run by `technopolice db_worker`. Text extraction
# and OCR have their own queue, run by their own worker in production, so that a long scan
# never holds the emails of the "default" queue (docs/production.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

LANGUAGE_CODE = "fr"
FORMAT_MODULE_PATH = ["technopolice.formats"]  # 24-hour times in English too (formats/en)
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# Strings of apps live in each app's locale/; this one holds the shared templates, lib and settings.
LOCALE_PATHS = [BASE_DIR / "technopolice" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The site's own styles and scripts, and the vendored libraries: the project package is not an
# installed app, so its static folder must be named for the finders (and collectstatic).
STATICFILES_DIRS = [BASE_DIR / "technopolice" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Embedded mode serves static files straight from the source tree: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Request size limits: a title of 1 MB is refused long before it reaches a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Email (Django 6.1 MAILERS): files under DATA_DIR/mail in embedded mode, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Technopolice <noreply@localhost>")
# STARTTLS on 587 by default; EMAIL_USE_SSL=True for implicit TLS, on 465 unless EMAIL_PORT says otherwise.
_EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": envint("EMAIL_PORT", 465 if _EMAIL_USE_SSL else 587),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", not _EMAIL_USE_SSL),
                "use_ssl": _EMAIL_USE_SSL,
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }

# The collectives' relay (collectives/relay.py): each conversation has its own address,
# relay+<token>@RELAY_DOMAIN, that the mail server pipes to `receive_email` (docs/production.md).
RELAY_DOMAIN = env("RELAY_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost")
# Messages a visitor may write to collectives per hour, and one collective may receive per hour
# from the form; without the proof of work, RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR applies too.
RELAY_MESSAGES_PER_VISITOR_PER_HOUR = envint("RELAY_MESSAGES_PER_VISITOR_PER_HOUR", 5)
RELAY_MESSAGES_PER_COLLECTIVE_PER_HOUR = envint("RELAY_MESSAGES_PER_COLLECTIVE_PER_HOUR", 30)
# A failing mail server: a relayed message is retried with a doubling delay, and the sending task
# fails loudly once a message has failed this many times (it is still retried, never dropped).
RELAY_MAIL_ATTEMPTS = envint("RELAY_MAIL_ATTEMPTS", 10)
RELAY_MAIL_BACKOFF_SECONDS = envint("RELAY_MAIL_BACKOFF_SECONDS", 60)

# Registry rules.
# A record not re-checked for this many days is shown as ageing and listed for re-checking.
REGISTRY_AGEING_DAYS = envint("REGISTRY_AGEING_DAYS", 365)
# Public forms: submissions allowed per visitor per hour (visitors are told apart by
# a salted hash that rotates daily; no address is ever stored).
RATELIMIT_PROPOSALS_PER_HOUR = envint("RATELIMIT_PROPOSALS_PER_HOUR", 10)
# Accounts created per visitor per hour (forms sent back with errors do not count).
RATELIMIT_SIGNUPS_PER_HOUR = envint("RATELIMIT_SIGNUPS_PER_HOUR", 5)
# Visitors without JavaScript cannot solve the proof-of-work: they may still
# contribute, under this stricter limit, and their proposals are flagged.
RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR = envint("RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR", 3)
# Behind proxies every visitor arrives from the last proxy's address: how many trusted proxies
# append to X-Forwarded-For, so the rate limits read the visitor's address there (lib/ratelimit.py).
# check --deploy refuses production (which trusts a proxy's X-Forwarded-Proto) with 0.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# The header those proxies append to (X-Forwarded-For; nginx's X-Real-IP also works, with a count of 1).
PROXY_CLIENT_HEADER = env("PROXY_CLIENT_HEADER", "X-Forwarded-For")
# Failed logins per visitor per hour (and per account from one of its known browsers), and per
# account from browsers that never logged into it (accounts/throttle.py).
RATELIMIT_LOGIN_FAILURES_PER_HOUR = envint("RATELIMIT_LOGIN_FAILURES_PER_HOUR", 20)
RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR = envint("RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR", 20)
# Second-factor codes tried per visitor and per account per hour (accounts/twofactor.py), on top
# of django-otp's own growing delay after each wrong code on a device.
RATELIMIT_SECOND_FACTOR_FAILURES_PER_HOUR = envint("RATELIMIT_SECOND_FACTOR_FAILURES_PER_HOUR", 10)
# Emails an account may have sent per hour (address confirmations), and password-reset
# requests per visitor per hour, so neither form can flood an inbox.
RATELIMIT_ACCOUNT_EMAILS_PER_HOUR = envint("RATELIMIT_ACCOUNT_EMAILS_PER_HOUR", 5)
RATELIMIT_PASSWORD_RESETS_PER_HOUR = envint("RATELIMIT_PASSWORD_RESETS_PER_HOUR", 5)
# Comments (discussion app): minutes during which an author may edit a comment; accounts younger
# than DISCUSSION_NEW_ACCOUNT_DAYS post at most DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR comments.
DISCUSSION_EDIT_MINUTES = envint("DISCUSSION_EDIT_MINUTES", 30)
DISCUSSION_NEW_ACCOUNT_DAYS = envint("DISCUSSION_NEW_ACCOUNT_DAYS", 7)
DISCUSSION_COMMENTS_PER_HOUR = envint("DISCUSSION_COMMENTS_PER_HOUR", 30)
DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR = envint("DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR", 5)
# A link confirming an account's email address works for this many hours, once.
ACCOUNTS_EMAIL_TOKEN_HOURS = envint("ACCOUNTS_EMAIL_TOKEN_HOURS", 48)
# A password-reset link works for this many seconds (Django's own setting), once.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 3600)
# The name authenticator apps show beside a TOTP account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Technopolice")
ALTCHA_HMAC_KEY = env("ALTCHA_HMAC_KEY", SECRET_KEY)
# Cost of the proof of work (PBKDF2 iterations per attempt, lib/altcha.py): under a second on a phone,
# a real price for a robot sending thousands of proposals.
ALTCHA_COST = envint("ALTCHA_COST", 2000)


# Collective complaints (complaints app). Names, emails and addresses are sealed with
# COMPLAINTS_KEYS (comma-separated Fernet keys, the first seals, all open: put a new key
# first, run `technopolice rotate_complaints_key`, then drop the old one) and looked up
# through an HMAC under COMPLAINTS_HASH_KEY, which is never rotated. Embedded mode keeps
# generated keys in DATA_DIR; production refuses to start without them.
def _complaints_secret(name: str, value: str, make) -> str:
    if value or PRODUCTION:
        if not value:
            raise RuntimeError(f"PRODUCTION=True needs {name} (or {name}_FILE).")
        return value
    key_file = DATA_DIR / name.lower()
    if not key_file.exists():
        key_file.write_text(make(), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


_keys = _complaints_secret("COMPLAINTS_KEYS", env("COMPLAINTS_KEYS"), _fernet_key)
COMPLAINTS_KEYS = [k.strip() for k in _keys.split(",") if k.strip()]
COMPLAINTS_HASH_KEY = _complaints_secret(
    "COMPLAINTS_HASH_KEY", env("COMPLAINTS_HASH_KEY"), lambda: secrets.token_urlsafe(32)
)
# Unconfirmed sign-ups are deleted after this many days (`technopolice delete_unconfirmed`).
COMPLAINTS_UNCONFIRMED_DAYS = envint("COMPLAINTS_UNCONFIRMED_DAYS", 7)
# A confirmation link works for this many hours, once.
COMPLAINTS_TOKEN_HOURS = envint("COMPLAINTS_TOKEN_HOURS", 48)
# Confirmation emails one address may receive per hour, so the form cannot flood an inbox.
COMPLAINTS_RESENDS_PER_HOUR = envint("COMPLAINTS_RESENDS_PER_HOUR", 3)
# Sign-up limits (complaints/views/signing.py). A launch is shared where hundreds of people leave
# by one address (a mobile carrier's NAT, a campus): a sign-up whose proof of work is solved only
# meets a per-visitor ceiling a launch never reaches (1,700 per address in 10 minutes pass).
COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR = envint(
    "COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR", 20000
)
# Without the proof of work (no JavaScript, or a robot): a few per visitor, so a person without
# JavaScript still signs while a robot trickles, and a ceiling per campaign, so robots rotating
# addresses cannot flood the mail server. Only valid forms count.
COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR = envint(
    "COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR", 10
)
COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR = envint(
    "COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR", 300
)
# Counters on a campaign page are cached this many seconds (and dropped on each change).
COMPLAINTS_COUNTER_SECONDS = envint("COMPLAINTS_COUNTER_SECONDS", 30)
# A failing mail server: each email is retried this many times, waiting twice as long each time.
COMPLAINTS_MAIL_ATTEMPTS = envint("COMPLAINTS_MAIL_ATTEMPTS", 20)
COMPLAINTS_MAIL_BACKOFF_SECONDS = envint("COMPLAINTS_MAIL_BACKOFF_SECONDS", 30)
# The map's basemap. Empty MAP_TILES_URL: a plain background, nothing fetched anywhere.
# Otherwise an upstream tile template (with {z}, {x} and {y} placeholders) that the
# platform fetches itself and caches under DATA_DIR/tiles: visitors only ever ask the platform.
MAP_TILES_URL = env("MAP_TILES_URL", "")
# Or self-hosted tiles: the path of an MBTiles file of PNG tiles (takes precedence over the URL).
MAP_TILES_FILE = env("MAP_TILES_FILE", "")
MAP_TILES_MAX_ZOOM = envint("MAP_TILES_MAX_ZOOM", 19)
# Shown on the map under the basemap (e.g. "© OpenStreetMap contributors").
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", "")
# Documents: uploads are cleaned in memory and refused past these limits.
DOCUMENTS_MAX_BYTES = envint("DOCUMENTS_MAX_BYTES", 30 * 1024 * 1024)
DOCUMENTS_MAX_PAGES = envint("DOCUMENTS_MAX_PAGES", 500)
# Files one upload form may carry at once.
DOCUMENTS_MAX_FILES = envint("DOCUMENTS_MAX_FILES", 10)
# Images are decoded in the web worker: their header is read first, and an image, or a post's
# images together, over these budgets are refused before a pixel is decoded (a pixel flood).
IMAGES_MAX_PIXELS = envint("IMAGES_MAX_PIXELS", 40_000_000)
IMAGES_MAX_PER_POST = envint("IMAGES_MAX_PER_POST", 10)
IMAGES_MAX_PIXELS_PER_POST = envint("IMAGES_MAX_PIXELS_PER_POST", 100_000_000)
# Scanned pages go through Tesseract (French and English) when it is installed; False marks
# them "no text layer" instead, for machines where OCR would be too slow.
DOCUMENTS_OCR = envbool("DOCUMENTS_OCR", True)
DOCUMENTS_OCR_LANGUAGES = env("DOCUMENTS_OCR_LANGUAGES", "fra+eng")
# What OCR may spend on one document: a small PDF of hundreds of scanned pages would hold the
# documents worker for hours. Pages past a limit are kept, marked "not read: limit reached".
DOCUMENTS_OCR_MAX_PAGES = envint("DOCUMENTS_OCR_MAX_PAGES", 50)
DOCUMENTS_OCR_MAX_PIXELS = envint("DOCUMENTS_OCR_MAX_PIXELS", 25_000_000)
DOCUMENTS_OCR_MAX_SECONDS = envint("DOCUMENTS_OCR_MAX_SECONDS", 600)
# Uploads per visitor per hour (documents and anonymous leaks share the counter).
RATELIMIT_DOCUMENTS_PER_HOUR = envint("RATELIMIT_DOCUMENTS_PER_HOUR", 10)
# Untrusted files (uploads, camera photos) are opened in a child process with these limits, so a
# hostile file costs a refusal, not the worker (lib/jail.py). Memory is what the child may add to
# the process it is forked from; the seconds are CPU time, then time on the clock.
JAIL_MEMORY_MB = envint("JAIL_MEMORY_MB", 512)
JAIL_CPU_SECONDS = envint("JAIL_CPU_SECONDS", 5)
JAIL_SECONDS = envint("JAIL_SECONDS", 15)
JAIL_FILE_MB = envint("JAIL_FILE_MB", 64)
# Text extraction in the documents worker is jailed too, with room for OCR (its own clock,
# DOCUMENTS_OCR_MAX_SECONDS, must fit in DOCUMENTS_EXTRACTION_SECONDS).
DOCUMENTS_EXTRACTION_MEMORY_MB = envint("DOCUMENTS_EXTRACTION_MEMORY_MB", 1024)
DOCUMENTS_EXTRACTION_CPU_SECONDS = envint("DOCUMENTS_EXTRACTION_CPU_SECONDS", 600)
DOCUMENTS_EXTRACTION_SECONDS = envint("DOCUMENTS_EXTRACTION_SECONDS", 1200)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Device features no page uses, denied by the Permissions-Policy header (lib/headers.py). Only
# names Chromium and Firefox recognise: an unknown one is reported in the browser's console.
PERMISSIONS_POLICY_DENY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Sessions are logins (contributors, moderators, staff who can export signatories): a cookie
# copied from a shared or stolen computer should not open an account for two weeks (Django's
# default). One day covers a working day. docs/settings.md says why.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 24 * 3600)
# Nothing a visitor loads may come from another host: the policy says so to the browser too.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes the browser refuse these cookies unless they are Secure, for the
    # whole site (Path=/) and without a Domain: no subdomain nor plain-HTTP page can set or
    # overwrite them. Embedded mode runs over HTTP, where such cookies would be refused.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs never carry a visitor's address: Django's own loggers do not, and we add none.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
