"""One typed settings object, read from the environment (``FORCEWATCH_*``) and the command line.

The database is a URL: embedded SQLite by default (``sqlite:///forcewatch.db`` in the working
directory), PostgreSQL through psycopg 3 in production (``postgresql+psycopg://...``).

Unsafe values are refused: outside demo mode there is no default secret key or pseudonymisation
key, so a web server started without ``FORCEWATCH_SECRET_KEY`` stops with a clear message instead
of using a key everyone can read in the source, and officers cannot be pseudonymised without
``FORCEWATCH_PSEUDONYM_KEY``.
"""

from __future__ import annotations

import secrets
from functools import cached_property

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import SettingsError

__all__ = ["Settings", "DEFAULT_DATABASE_URL", "normalise_database_url"]

DEFAULT_DATABASE_URL = "sqlite:///forcewatch.db"
_MIN_SECRET_LENGTH = 32
#: used only in demo mode, and published on purpose: demo pseudonyms protect nobody
DEMO_PSEUDONYM_KEY = "forcewatch-demo-pseudonym-key-public-not-secret"


def normalise_database_url(url: str) -> str:
    """Return ``url`` with the driver forcewatch uses (psycopg 3 for PostgreSQL).

    >>> normalise_database_url("postgresql://postgres@127.0.0.1:5432/test")
    'postgresql+psycopg://postgres@127.0.0.1:5432/test'
    """
    url = url.strip()
    if not url:
        raise SettingsError("the database URL is empty", hint="use sqlite:///PATH or postgresql://...")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith("postgresql+") and not url.startswith("postgresql+psycopg://"):
        raise SettingsError(
            f"database URL {url.split('@')[-1]!r} names a driver forcewatch does not use",
            hint="use postgresql+psycopg:// (psycopg 3)",
        )
    if not (url.startswith("sqlite:") or url.startswith("postgresql+psycopg://")):
        raise SettingsError(
            f"unsupported database URL {url!r}",
            hint="use sqlite:///PATH (embedded) or postgresql+psycopg://USER@HOST/DB",
        )
    return url


class Settings(BaseSettings):
    """Every setting forcewatch reads, with its environment variable and default."""

    model_config = SettingsConfigDict(env_prefix="FORCEWATCH_", extra="ignore")

    #: FORCEWATCH_DATABASE_URL: where records and statistics are stored
    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    #: FORCEWATCH_DEMO: demo mode allows generated secrets and prints demo log-ins
    demo: bool = False
    #: FORCEWATCH_SECRET_KEY: keys the CSRF tokens of web sessions; required outside demo mode
    secret_key: str | None = None
    #: FORCEWATCH_SUPPRESSION_THRESHOLD: public outputs suppress counts from 1 to this value
    suppression_threshold: int = Field(default=5, ge=0)
    #: FORCEWATCH_SECURE_COOKIES: send session cookies only over HTTPS (off only for local demo)
    secure_cookies: bool = True
    #: FORCEWATCH_PAGE_CACHE: keep pages computed for anonymous visitors until the data changes
    #: (``forcewatch.web.cache``; any write, by any process, invalidates them)
    page_cache: bool = True
    #: FORCEWATCH_SIGNING_KEY_DIR: where Ed25519 sign-off keys are kept
    signing_key_dir: str | None = None
    #: FORCEWATCH_PSEUDONYM_KEY: keys the HMAC that turns a force's staff identifier into an
    #: officer pseudonym; required outside demo mode
    pseudonym_key: str | None = None
    #: FORCEWATCH_SESSION_LIFETIME_MINUTES: a web session ends this long after log-in
    session_lifetime_minutes: int = Field(default=12 * 60, ge=1)
    #: FORCEWATCH_SESSION_IDLE_MINUTES: a web session ends after this long without a request
    session_idle_minutes: int = Field(default=30, ge=1)
    #: FORCEWATCH_LOGIN_MAX_FAILURES_PER_USER: failed log-ins for one user name within the window
    #: after which further attempts are refused until the window passes
    login_max_failures_per_user: int = Field(default=5, ge=1)
    #: FORCEWATCH_LOGIN_MAX_FAILURES_PER_IP: the same, for failures from one client address
    login_max_failures_per_ip: int = Field(default=20, ge=1)
    #: FORCEWATCH_LOGIN_FAILURE_WINDOW_MINUTES: how long a failed log-in counts
    login_failure_window_minutes: int = Field(default=15, ge=1)

    #: FORCEWATCH_MEDIA_CONTACTS: the press office on the public site's contact page, as entries
    #: ``name|email|phone`` separated by ``;`` (demo mode shows demo contacts when unset)
    media_contacts: str | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("secret_key", "pseudonym_key")
    @classmethod
    def _long_enough(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and len(value) < _MIN_SECRET_LENGTH:
            raise ValueError(
                f"FORCEWATCH_{str(info.field_name).upper()} must be at least {_MIN_SECRET_LENGTH} characters"
            )
        return value

    @cached_property
    def session_secret(self) -> str:
        """The web app's secret (CSRF tokens): the configured one, or a fresh random one in demo mode."""
        if self.secret_key:
            return self.secret_key
        if self.demo:
            return secrets.token_urlsafe(48)
        raise SettingsError(
            "no secret key is set and forcewatch is not in demo mode",
            hint="set FORCEWATCH_SECRET_KEY to a random string of 32 or more characters, "
            "for example the output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`",
        )

    @cached_property
    def officer_pseudonym_key(self) -> str:
        """The key of officer pseudonyms: the configured one, or the published demo key in demo mode.

        The demo key is fixed (and public) so that demo accounts and simulated records made by one
        ``forcewatch demo`` run still match when the demo database is served again later; it is
        never used outside demo mode.
        """
        if self.pseudonym_key:
            return self.pseudonym_key
        if self.demo:
            return DEMO_PSEUDONYM_KEY
        raise SettingsError(
            "no pseudonymisation key is set and forcewatch is not in demo mode",
            hint="set FORCEWATCH_PSEUDONYM_KEY to a random string of 32 or more characters and keep it: "
            "changing it changes every officer pseudonym",
        )

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.database_url.startswith("sqlite") else "postgresql"

    def with_database(self, url: str | None) -> "Settings":
        """A copy of these settings pointing at another database (``None`` keeps this one)."""
        if url is None:
            return self
        return self.model_copy(update={"database_url": normalise_database_url(url)})
