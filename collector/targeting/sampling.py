"""Stable sampling: ``sample_percent`` keeps a share of users, always the same users.

The answer is a hash of project, experience and user, never a coin toss per request: a person
sampled in stays in on every page load (and on every device, once identified), and each
experience hashes to its own slice of users, so the same people are not in every sample.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

DEFAULT_PERCENT = 100.0
_BUCKETS = 2**64


def in_sample(
    project_id: uuid.UUID, experience_id: uuid.UUID, sampling_key: str, percent: float
) -> bool:
    """Whether this person is in the ``percent`` (0 to 100) share kept for this experience."""
    if percent >= 100:
        # Checked apart: the float position of the very last bucket can round up to 100.
        return True
    return sample_position(project_id, experience_id, sampling_key) < percent


def sample_position(project_id: uuid.UUID, experience_id: uuid.UUID, sampling_key: str) -> float:
    """Where the person falls in [0, 100) for this experience; below the percent is in."""
    hashed = _prefix(project_id.int, experience_id.int).copy()
    hashed.update(sampling_key.encode())
    return int.from_bytes(hashed.digest()[:8], "big") * 100 / _BUCKETS


@lru_cache(maxsize=4096)
def _prefix(project_id: int, experience_id: int) -> Any:
    """The hash of ``<project>:<experience>:``, to be completed with each person's key.

    Keyed by the ids' numbers, which hash faster than ``uuid.UUID`` objects do.
    """
    return hashlib.sha256(f"{uuid.UUID(int=project_id)}:{uuid.UUID(int=experience_id)}:".encode())


def sample_percent(audience: Mapping[str, Any] | None) -> float:
    """The audience's ``sample_percent``; absent, null or not a number keeps everyone."""
    value = (audience or {}).get("sample_percent")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return DEFAULT_PERCENT
