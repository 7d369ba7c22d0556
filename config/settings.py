"""Settings of Espace professionnel, read from the environment (README "Configuration")."""

import logging
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config.env import email_settings, env, service_urls, tune_sqlite

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# Under DEBUG, Django's technical error pages instead of the French ones (a developer's choice).
DEBUG_TECHNICAL_PAGES = env.bool("DEBUG_TECHNICAL_PAGES", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY doit être défini quand DEBUG n'est pas activé.")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# State identity (Marianne, "République française") only for a State deployment.
ETAT_DEPLOIEMENT = env.bool("ETAT_DEPLOIEMENT", default=False)
SERVICE_NAME = env.str("SERVICE_NAME", default="Espace professionnel")
# The site named in emails ("connectez-vous sur le site ..."): emails carry no link. Empty:
# the address being served (core.site.site_domain); set it in production.
SITE_DOMAIN = env.str("SITE_DOMAIN", default="impots.gouv.fr" if ETAT_DEPLOIEMENT else "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "dsfr",
    "widget_tweaks",
    "core",
    "accounts",
    "codes",
    "mailer",
    "antirobot",
    "registre",
    "catalogue",
    "dossiers",
    "habilitations",
    "entreprise",
    "assistance",
]

MIDDLEWARE = [
    "core.middleware.ForwardedProtoMiddleware",  # X-Forwarded-Proto from TRUSTED_PROXIES only
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "antirobot.middleware.BindingCookieMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.DebugErrorPagesMiddleware",  # DEBUG only: French 400/404/500 (docs/decisions.md)
    # R-AST-1: /assistance/ only: its network restriction (404 outside) and the agents' own session
    # (before CommonMiddleware: outside the networks, not even its slash redirect answers).
    "assistance.middleware.AssistanceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.site.CurrentRequestMiddleware",  # the address being served, for emails (SITE_DOMAIN)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.brand",
            ],
        },
    },
]
FORM_RENDERER = "core.renderers.FormRenderer"

DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    # Connections live 60 s, and each is checked before a request reuses it: one PostgreSQL
    # cut (a restart, a failover, pg_terminate_backend) costs the requests in flight, not the
    # next one of every thread that held a connection (issue 18 §4).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(VAR_DIR / "db.sqlite3")),
        }
    }
# WAL, busy timeout and IMMEDIATE transactions on any SQLite database, DATABASE_URL=sqlite:///… included.
tune_sqlite(DATABASES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A dead or mute Redis fails a request within a second (a 503 page, issue 18 §4)
            # rather than holding a worker for redis-py's 5 s per try.
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
            "KEY_PREFIX": "espacepro",
        }
    }
    SESSION_ENGINE = "core.sessions.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "core.sessions.db"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "espace.Space"
AUTHENTICATION_BACKENDS = ["accounts.auth.SpaceBackend"]
LOGIN_URL = "espace:login"
PASSWORD_HASHERS = ["accounts.hashers.Argon2idHasher"]  # R-PWD-5
AUTH_PASSWORD_VALIDATORS = [  # R-PWD-1..4; the values are named with the durations below
    {"NAME": "accounts.validators.LengthValidator"},
    {"NAME": "accounts.validators.LeakedPasswordValidator"},
    {"NAME": "accounts.validators.ZxcvbnValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator"},
]

# Durations of the rules, named once (STYLE §4).
ACTIVATION_CODE_TTL = timedelta(hours=48)  # R-CODE-1: creation, email change, option
RESET_CODE_TTL = timedelta(hours=1)  # J5: "Mot de passe oublié" codes live one hour
ADHESION_CODE_TTL = timedelta(days=60)  # R-ADH-2: the code of a letter posted to the siège
ADHESION_LETTER_RESENDS = 1  # R-ADH-3 (choice): a pending letter may be sent again once
COMPANY_EMAIL_CODE_TTL = timedelta(hours=72)  # R-ADH-4: the code sent to the company's email (mode simplifié)
DOSSIER_EMAIL_CODE_TTL = timedelta(hours=48)  # R-ENT-1: the code sent to a company's new email
DELEGATION_ANSWER_TTL = timedelta(days=30)  # R-DEL-1 (choice): an offered delegation not answered is void
# R-BANK-1: the creditor of the SEPA B2B mandates (the State's identifier by default).
SEPA_CREDITOR_ID = env("SEPA_CREDITOR_ID", default="FR46ZZZ005002")
SEPA_CREDITOR_NAME = env("SEPA_CREDITOR_NAME", default="Direction générale des Finances publiques")
# The creditor's postal address printed on the mandate, its lines separated by "|".
SEPA_CREDITOR_ADDRESS = [
    line.strip()
    for line in env.str("SEPA_CREDITOR_ADDRESS", default="139 rue de Bercy|75572 PARIS CEDEX 12").split("|")
    if line.strip()
]
# J5: wrong trust answers one reset code survives; the next one voids it (a new code from the
# mailbox is needed). Answers are short and guessable: the throttle alone would allow ~10 a day.
RESET_ANSWER_ATTEMPTS = 3
PASSWORD_MIN_LENGTH = 20  # R-PWD-1
PASSWORD_MAX_LENGTH = 128  # R-PWD-1
# Any form refuses a secret longer than this many UTF-8 bytes before hashing it: 128
# characters of 4 bytes at most, so no valid password is refused, while a 1 MB one
# cannot make a login cost five times the normal (Argon2 hashes its whole input).
SECRET_MAX_BYTES = 4 * PASSWORD_MAX_LENGTH
PASSWORD_MIN_SCORE = 3  # R-PWD-2: zxcvbn 0-2 Faible (refused), 3 Normal, 4 Fort
PASSWORD_VALIDITY_YEARS = 3  # R-PWD-6
PASSWORD_HISTORY_SIZE = 5  # R-PWD-3
EXPIRY_ALERT_DAYS = 60  # R-EXP-1: the alert after login, and the home's countdown
# J6: after a login refused for an expired password, "Mot de passe expiré" starts at its step 2
# for this long, with the email the login proved (no second captcha in the same minute).
EXPIRED_LOGIN_PROOF_TTL = timedelta(minutes=1)
EXPIRY_REMINDER_DAYS = (60, 7)  # R-EXP-4: reminder emails, each once per password
# "Historique de sécurité": how far back the owner sees its own security events, and how many a page.
SECURITY_HISTORY_DAYS = 90
SECURITY_HISTORY_PAGE_SIZE = 20
AUDIT_RETENTION = timedelta(days=env.int("AUDIT_RETENTION_DAYS", default=365))  # manage.py purge_audit
CAPTCHA_TTL = timedelta(minutes=10)
# "Plus de temps" under the captcha (RGAA 13.1 / WCAG 2.2.1 "adjust"): ten times the default.
CAPTCHA_EXTENDED_TTL = 10 * CAPTCHA_TTL
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)  # SPEC §4
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)  # SPEC §4

# Rate limits as named policies (R-THROTTLE-1). Every check of a secret (password, old or
# current password, trust answer, code) goes through core.guard, which applies
# the first three; the ceilings ({"limit", "window"}) are counted with Throttle.within_limit.
THROTTLE_POLICIES = {
    # Per account (the email, whether or not it has a space): after 5 consecutive failures,
    # a delay doubling from 1 minute to 1 hour; a success, or a quiet day, forgets them.
    "account_failures": {
        "free_failures": 5,
        "first_delay": timedelta(minutes=1),
        "max_delay": timedelta(hours=1),
        "forget_after": timedelta(days=1),
    },
    "account_checks": {"limit": 100, "window": timedelta(hours=1)},
    "address_failures": {"limit": 50, "window": timedelta(minutes=10)},
    # Each creation request emails a code: a ceiling per address keeps the service from
    # being used to flood mailboxes or fill the request table.
    "creations_per_address": {"limit": 10, "window": timedelta(hours=1)},
    # J5: each "Mot de passe oublié" request may email a code: ceilings per address and per
    # typed email keep it from flooding a mailbox. Over the per-email one, the request does
    # the same work and sends nothing, so the answer still tells nothing.
    "reset_requests_per_address": {"limit": 10, "window": timedelta(hours=1)},
    "reset_requests_per_email": {"limit": 5, "window": timedelta(hours=1)},
    # Creation step 2 tells whether an email is taken (the guides require it): a ceiling
    # keeps it from being used to list the registered addresses.
    "email_checks_per_address": {"limit": 30, "window": timedelta(hours=1)},
    # The live strength meter runs zxcvbn (CPU) at each pause in typing.
    "password_levels_per_address": {"limit": 600, "window": timedelta(minutes=10)},
    # Each captcha check (a POST) stores its used key; drawing one stores and counts nothing.
    # A ceiling per address bounds the rows one client can make (with purge, about limit x
    # 11 windows at most). Generous, as offices share one address: a person checks one or two.
    "captchas_per_address": {"limit": 100, "window": timedelta(minutes=10)},
    # J8 outside the space: each request may email a code to the address on file. Counted
    # per subscriber number typed (whether or not it exists, so the ceiling reveals
    # nothing) and per client address, to keep it from flooding a mailbox.
    "option_recoveries_per_number": {"limit": 5, "window": timedelta(hours=1)},
    "option_recoveries_per_address": {"limit": 10, "window": timedelta(hours=1)},
    # R-ADH-2: each adhesion request posts a letter (paper, stamps): a ceiling per space.
    "adhesion_requests_per_space": {"limit": 10, "window": timedelta(days=1)},
    # R-SUP-1, R-DEL-1 (choice): a space is designated by its subscriber number AND its
    # holder's last name; every check is counted (a match too), per acting space and per
    # client address, so that numbers cannot be walked to harvest names.
    "designations_per_space": {"limit": 20, "window": timedelta(hours=1)},
    "designations_per_address": {"limit": 30, "window": timedelta(hours=1)},
    # R-ENT-1: each request for a new company email sends a code to the address typed: a
    # ceiling per space keeps it from being used to flood a mailbox.
    "company_email_requests_per_space": {"limit": 10, "window": timedelta(hours=1)},
    # R-AST-1: each visit of an enrolment link checks its token; a ceiling per address keeps
    # the links from being guessed (agents' passwords and codes go through core.guard).
    "assistance_links_per_address": {"limit": 20, "window": timedelta(hours=1)},
}

THROTTLE_REDIS_PREFIX = "espacepro:throttle:"
# The per-address limits ("address_failures" and every ceiling named "*_per_address") count an
# IPv6 client by its network of this many bits (core.client.address_key): an access line gets
# a whole /64, whose addresses its owner may rotate at will. 48 or 56 for sites that hand
# out shorter prefixes; an IPv4 address always counts alone.
THROTTLE_IPV6_PREFIX = env.int("THROTTLE_IPV6_PREFIX", default=64)
if not 1 <= THROTTLE_IPV6_PREFIX <= 128:
    raise RuntimeError("THROTTLE_IPV6_PREFIX doit être un nombre de bits entre 1 et 128.")

CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)  # R-CAPTCHA-2

# --- Swappable parts: each setting names a class of the part's Protocol (core.contracts) ---
CAPTCHA = "antirobot.services.ImageCaptcha"  # antirobot.interfaces.Captcha
COMPANY_REGISTER = "registre.registers.SireneTable"  # registre.interfaces.CompanyRegister
# accounts.interfaces.CertificateVerifier: the chain to CLIENT_CA_FILE (none set: trusts none)
CERTIFICATE_VERIFIER = "accounts.services.certificates.CaFileVerifier"
RECAP_RENDERER = "recapitulatif.pdf.WeasyPrintRenderer"  # recapitulatif.interfaces.RecapRenderer
# MAILER_SENDER (mailer.interfaces.Sender) is chosen with EMAIL_URL, below.

# --- Sessions and security headers (SPEC §4) ------------------------------------
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# The idle expiry slides when SessionLifetimeMiddleware refreshes the session (at most once a
# minute), not at every request: saving every request would let a slow request (the live
# password level, say) write back a stale copy over a wizard step saved meanwhile.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "espacepro_session"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 31536000 * 2
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
X_FRAME_OPTIONS = "DENY"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CLIENT_CERT_HEADER = env.str("CLIENT_CERT_HEADER", default="X-SSL-Client-Cert")
CLIENT_CA_FILE = env.str("CLIENT_CA_FILE", default="")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],  # every script is a file of the site: no inline script, no nonce
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Email (R-EMAIL-1..3) ---------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@espace-professionnel.localhost")
# Seconds the worker waits on each SMTP step: a default that EMAIL_URL's ?timeout= overrides.
EMAIL_TIMEOUT = 10
if EMAIL_URL:
    globals().update(email_settings(EMAIL_URL))
# What carries the outbox's mails out (mailer.interfaces.Sender, core.contracts): SMTP; in
# development without EMAIL_URL, the console, which keeps each mail on /dev/courriels/. Outside
# development a missing EMAIL_URL is a mail server that is down: the mails wait, never logged.
MAILER_SENDER = "mailer.senders.SmtpSender" if EMAIL_URL or not DEBUG else "mailer.senders.ConsoleSender"
MAILER_MAX_ATTEMPTS = 12
MAILER_FIRST_RETRY = timedelta(seconds=30)
MAILER_MAX_RETRY = timedelta(hours=1)

# --- Letters: codes sent by post (codes.letters, R-ADH-3) ---------------------------
# The letters outbox, written in the request's transaction; the worker (manage.py
# letter_worker) renders each letter as a tagged PDF and hands it over to the printing service:
# <reference>.pdf then <reference>.json (its manifest) in LETTER_SPOOL_DIR.
LETTERS_BACKEND = "codes.letters.OutboxLetters"
LETTER_SPOOL_DIR = Path(env.str("LETTER_SPOOL_DIR", default=str(VAR_DIR / "letters")))
# An unwritable folder is retried: after 30 s, doubling up to an hour, for about four days.
LETTER_MAX_ATTEMPTS = 100
LETTER_FIRST_RETRY = timedelta(seconds=30)
LETTER_MAX_RETRY = timedelta(hours=1)

# --- Dossiers and services (SPEC §5) ------------------------------------------------
# R-CAT-1: the address of the application that serves each service, by its catalogue code,
# as JSON in the variable or in the file it names: {"declarer_tva": "https://…"}.
SERVICE_URLS = service_urls(env.str("SERVICE_URLS", default=""))
# R-HOME-1: "Voir tous mes dossiers", dossiers a page.
DOSSIERS_PAGE_SIZE = 20
# R-HAB-1 "Consulter mes services (habilitations)": rows (dossier × service) a page, and how far
# back the habilitations that ended are shown (as the security history's 90 days).
HABILITATIONS_PAGE_SIZE = 50
HABILITATIONS_ENDED_DAYS = 90
# The récapitulatif is one page (R-PDF-1): it names this many dossiers, then how many more
# (8 holding two roles with long lines each still print at 8.5 pt; 10 would shrink to 7 pt).
RECAP_DOSSIERS_SHOWN = 8

# --- The assistance console (R-AST-1) -------------------------------------------------
# Networks (CIDR) the console answers from; outside them every /assistance/ URL is a 404.
# Empty: no restriction. The client's address is core.client's (TRUSTED_PROXIES).
ASSISTANCE_NETWORKS = env.list("ASSISTANCE_NETWORKS", default=[])
ASSISTANCE_IDLE_TIMEOUT = timedelta(minutes=15)  # an agent's session, idle
ASSISTANCE_ABSOLUTE_TIMEOUT = timedelta(hours=8)  # an agent's session, whatever it does
ASSISTANCE_ENROLMENT_TTL = timedelta(hours=24)  # the link manage.py create_agent prints
ASSISTANCE_RECOVERY_CODES = 10
ASSISTANCE_PAGE_SIZE = 20  # search results, history rows
# An action's reason, in characters (the agents' history and the audit log keep it).
ASSISTANCE_REASON_MIN = 5
ASSISTANCE_REASON_MAX = 500

# --- Internationalisation (R-TIME-1) ---------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files: DSFR assets served locally by whitenoise -------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)
DSFR_CONTENT_IS_SAFE = False
DSFR_USE_INTEGRITY_CHECKSUMS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.security": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO, and its warnings may quote the
        # document's text (personal data): errors only.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
logging.captureWarnings(True)
