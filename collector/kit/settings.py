"""Installation settings: one frozen object, read once from ``WAYPOST_*`` variables.

Every ``waypost serve`` flag is a field here and an environment variable, so a
container can be configured either way. Nothing reads the environment at import.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Literal, cast

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings, Secret

from collector.kit.webhook_settings import WebhookSettings

Environment = Literal["development", "production"]
LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]

DEFAULT_DATABASE_URL = "sqlite:///./var/waypost.db"
DEVELOPMENT_SIGNING_SECRET = "waypost-development-signing-secret"


OPERATIONS_LIMITS = (
    "rate_limit_write_key",
    "rate_limit_client_ip",
    "rate_limit_secret_key",
    "rate_limit_burst_seconds",
    "retention_interval_seconds",
    "retention_batch_size",
    "health_evaluation_seconds",
)
"""Integer settings of rate limits and retention, read the same way from ``WAYPOST_*``."""


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe for the chosen environment."""


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    """SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg://user@host/db``."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: LogLevel = "info"
    environment: Environment = "development"
    signing_secret: Secret = dataclasses.field(
        default_factory=lambda: Secret(DEVELOPMENT_SIGNING_SECRET)
    )
    """Key material for signed values (cursors, sessions); must be set in production."""
    key_grace_seconds: int = 24 * 3600
    """How long a rotated-out key keeps working, so clients can be redeployed."""
    cors_origins: tuple[str, ...] = ("*",)
    """Browser origins allowed to call the ingestion routes."""
    db_pool_size: int = 10
    """Connections per worker process on PostgreSQL."""
    rate_limit_write_key: int = 5000
    """Requests per second per write key on ``/v1`` (0: unlimited); projects may set theirs."""
    rate_limit_client_ip: int = 2000
    """Requests per second per client address on ``/v1`` (0: unlimited)."""
    rate_limit_secret_key: int = 100
    """Requests per second per secret key on ``/api/v1`` (0: unlimited)."""
    rate_limit_burst_seconds: int = 2
    """A quiet client may send this many seconds' worth of requests at once."""
    retention_interval_seconds: int = 3600
    """How often ``waypost serve`` deletes events past their project's retention (0: never)."""
    retention_batch_size: int = 5000
    """Events deleted per transaction, so ingestion never waits long for a retention sweep."""
    health_evaluation_seconds: int = 900
    """How often the webhook worker evaluates account health for ``account.health_changed``
    (0: never; ``waypost health evaluate`` still does it on demand)."""
    worker_in_process: bool = False
    """Run the webhook delivery worker inside ``waypost serve`` (single-process SQLite setups)."""
    webhooks: WebhookSettings = dataclasses.field(default_factory=WebhookSettings)
    """Webhook delivery, from ``WAYPOST_WEBHOOK_*`` (see ``docs/webhooks.md``)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``WAYPOST_*`` variables (the process environment by default)."""
        config = Config(environ=os.environ if environ is None else environ, env_prefix="WAYPOST_")
        defaults = cls()
        try:
            settings = cls(
                database_url=config("DATABASE_URL", default=defaults.database_url),
                host=config("HOST", default=defaults.host),
                port=config("PORT", cast=int, default=defaults.port),
                workers=config("WORKERS", cast=int, default=defaults.workers),
                log_level=cast(LogLevel, config("LOG_LEVEL", default=defaults.log_level)),
                environment=cast(Environment, config("ENV", default=defaults.environment)),
                # Wrapped here, not with cast=Secret: Config casts the default too, and
                # a Secret wrapping a Secret fails on str().
                signing_secret=Secret(
                    config("SIGNING_SECRET", default=str(defaults.signing_secret))
                ),
                key_grace_seconds=config(
                    "KEY_GRACE_SECONDS", cast=int, default=defaults.key_grace_seconds
                ),
                cors_origins=tuple(
                    config(
                        "CORS_ORIGINS",
                        cast=CommaSeparatedStrings,
                        default=",".join(defaults.cors_origins),
                    )
                ),
                db_pool_size=config("DB_POOL_SIZE", cast=int, default=defaults.db_pool_size),
                **{
                    name: config(name.upper(), cast=int, default=getattr(defaults, name))
                    for name in OPERATIONS_LIMITS
                },
                worker_in_process=config("WORKER_IN_PROCESS", cast=bool, default=False),
                webhooks=WebhookSettings.from_config(config),
            )
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc
        settings.validate()
        return settings

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed (used by CLI flags), validated again."""
        settings = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse values that cannot work, and development placeholders in production."""
        if self.environment not in ("development", "production"):
            raise SettingsError("WAYPOST_ENV must be 'development' or 'production'")
        if self.log_level not in ("critical", "error", "warning", "info", "debug", "trace"):
            raise SettingsError(f"WAYPOST_LOG_LEVEL {self.log_level!r} is not a log level")
        if self.workers < 1:
            raise SettingsError("WAYPOST_WORKERS must be at least 1")
        if not 0 < self.port < 65536:
            raise SettingsError("WAYPOST_PORT must be between 1 and 65535")
        if self.key_grace_seconds < 0:
            raise SettingsError("WAYPOST_KEY_GRACE_SECONDS must not be negative")
        self._validate_operations()
        try:
            self.webhooks.validate()
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
        if self.environment == "production" and (
            str(self.signing_secret) == DEVELOPMENT_SIGNING_SECRET
            or len(str(self.signing_secret)) < 32
        ):
            raise SettingsError(
                "WAYPOST_SIGNING_SECRET must be set to a random value of at least "
                "32 characters in production"
            )

    def _validate_operations(self) -> None:
        for name in OPERATIONS_LIMITS:
            if getattr(self, name) < 0:
                raise SettingsError(f"WAYPOST_{name.upper()} must not be negative")
        for name in ("retention_batch_size", "rate_limit_burst_seconds"):
            if getattr(self, name) < 1:
                raise SettingsError(f"WAYPOST_{name.upper()} must be at least 1")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
