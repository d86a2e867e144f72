"""The generic cell rate algorithm: a token bucket kept as one number per key.

A bucket allowing ``rate`` requests per second with bursts of ``burst`` is stored as its
theoretical arrival time (TAT): the moment it would be full again. A request moves the
TAT one interval (``1 / rate``) later; it is allowed while the TAT stays within
``burst`` intervals of now. One number, one comparison: which is what lets PostgreSQL
decide in a single ``UPDATE … RETURNING`` shared by every worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    name: str
    """What is limited, as the 429 names it: ``write_key``, ``client_ip``, ``secret_key``."""
    rate: float
    """Requests per second, sustained."""
    burst: int
    """Requests allowed at once after a quiet spell."""

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    @property
    def tolerance(self) -> float:
        return self.burst * self.interval


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tat: float
    retry_after: float
    """Seconds until a request would be allowed (0 when this one was)."""


def decide(tat: float | None, now: float, limit: Limit) -> Decision:
    """Whether a request at ``now`` fits a bucket whose TAT is ``tat`` (None: a new one)."""
    candidate = max(tat if tat is not None else now, now) + limit.interval
    if candidate - now <= limit.tolerance:
        return Decision(allowed=True, tat=candidate, retry_after=0.0)
    kept = tat if tat is not None else now
    return Decision(allowed=False, tat=kept, retry_after=candidate - now - limit.tolerance)


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` in whole seconds, never 0: a client told 0 retries at once."""
    return str(max(1, math.ceil(seconds)))
