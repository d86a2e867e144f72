"""Installation settings of webhook delivery, read from ``WAYPOST_WEBHOOK_*`` variables."""

from __future__ import annotations

import dataclasses

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings

DEFAULT_SCHEDULE: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
"""Seconds after the previous try; the published schedule is in ``docs/webhooks.md``."""


class WebhookSettingsError(ValueError):
    """A webhook setting that cannot work."""


@dataclasses.dataclass(frozen=True)
class WebhookSettings:
    allow_private_targets: bool = False
    """Deliver to loopback and private addresses, and over plain http (development, tests)."""
    timeout_seconds: float = 15.0
    """How long one delivery may take, from connecting to the end of the answer."""
    retry_schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    """Seconds to wait before each try (the first is usually 0); its length is the tries."""
    disable_after: int = 5
    """Messages given up in a row after which an endpoint is disabled."""
    concurrency: int = 8
    """Deliveries each worker sends at the same time."""
    endpoint_concurrency: int = 0
    """Deliveries each worker sends to one endpoint at the same time; 0: half of
    ``concurrency``. A receiver that hangs holds no more senders than this."""
    lease_seconds: float = 60.0
    """How long a claimed message stays with its worker (more than three timeouts); a dead
    worker's is claimed again after it."""
    poll_seconds: float = 0.5
    """How often an idle worker looks for due messages."""

    @classmethod
    def from_config(cls, config: Config) -> WebhookSettings:
        defaults = cls()
        schedule = config(
            "WEBHOOK_RETRY_SCHEDULE",
            cast=CommaSeparatedStrings,
            default=",".join(f"{delay:g}" for delay in defaults.retry_schedule),
        )
        return cls(
            allow_private_targets=config(
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", cast=bool, default=defaults.allow_private_targets
            ),
            timeout_seconds=config(
                "WEBHOOK_TIMEOUT_SECONDS", cast=float, default=defaults.timeout_seconds
            ),
            retry_schedule=tuple(float(delay) for delay in schedule),
            disable_after=config("WEBHOOK_DISABLE_AFTER", cast=int, default=defaults.disable_after),
            concurrency=config("WEBHOOK_CONCURRENCY", cast=int, default=defaults.concurrency),
            endpoint_concurrency=config(
                "WEBHOOK_ENDPOINT_CONCURRENCY", cast=int, default=defaults.endpoint_concurrency
            ),
            lease_seconds=config(
                "WEBHOOK_LEASE_SECONDS", cast=float, default=defaults.lease_seconds
            ),
            poll_seconds=config("WEBHOOK_POLL_SECONDS", cast=float, default=defaults.poll_seconds),
        )

    @property
    def endpoint_limit(self) -> int:
        """Deliveries in flight to one endpoint at most, per worker."""
        wanted = self.endpoint_concurrency or self.concurrency // 2
        return max(1, min(wanted, self.concurrency))

    def validate(self) -> None:
        if not self.retry_schedule or any(delay < 0 for delay in self.retry_schedule):
            raise WebhookSettingsError(
                "WAYPOST_WEBHOOK_RETRY_SCHEDULE must list at least one delay, none negative"
            )
        if self.timeout_seconds <= 0 or self.poll_seconds <= 0:
            raise WebhookSettingsError(
                "WAYPOST_WEBHOOK_TIMEOUT_SECONDS and WAYPOST_WEBHOOK_POLL_SECONDS must be positive"
            )
        # A claimed message may wait two timeouts for a sender, then take one to deliver.
        if self.lease_seconds <= 3 * self.timeout_seconds:
            raise WebhookSettingsError(
                "WAYPOST_WEBHOOK_LEASE_SECONDS must be longer than three times "
                "WAYPOST_WEBHOOK_TIMEOUT_SECONDS"
            )
        if self.concurrency < 1 or self.disable_after < 1:
            raise WebhookSettingsError(
                "WAYPOST_WEBHOOK_CONCURRENCY and WAYPOST_WEBHOOK_DISABLE_AFTER must be at least 1"
            )
        if self.endpoint_concurrency < 0:
            raise WebhookSettingsError(
                "WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY must be 0 (half of the concurrency) or more"
            )
