"""What a batch is answered: how many messages were accepted, and why others were not."""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class RejectionAnswer(TypedDict):
    index: int
    messageId: str | None
    errors: dict[str, Any]


class IngestAnswer(TypedDict):
    success: Literal[True]
    accepted: int
    rejected: list[RejectionAnswer]
    rejected_count: NotRequired[int]
    """Only past the rejections listed."""
    suppressed: NotRequired[int]
    """Only when messages of erased, suppressed ids were dropped."""
