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

Environment = Literal["development", "production"]
LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]

DEFAULT_DATABASE_URL = "sqlite:///./var/waypost.db"
DEVELOPMENT_SIGNING_SECRET = "waypost-development-signing-secret"


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
        if self.environment == "production" and (
            str(self.signing_secret) == DEVELOPMENT_SIGNING_SECRET
            or len(str(self.signing_secret)) < 32
        ):
            raise SettingsError(
                "WAYPOST_SIGNING_SECRET must be set to a random value of at least "
                "32 characters in production"
            )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
