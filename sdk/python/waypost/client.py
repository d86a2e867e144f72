"""The calls your application makes. They validate and build a Segment-format message and
hand it to the consumer, with no I/O, so tracking never slows or breaks a request.

Misuse raises ``TypeError``/``ValueError`` only with ``debug=True``; otherwise it is logged
on the ``waypost`` logger and the message is dropped: analytics must not take down the
application that sends them.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from waypost.consumer import Consumer, OnError, OnFull
from waypost.messages import MAX_MESSAGE_BYTES, build, encode, validate_required
from waypost.transport import HttpTransport, Transport

logger = logging.getLogger("waypost")

Fields = Mapping[str, Any] | None


class Client:
    def __init__(
        self,
        write_key: str,
        host: str = "http://127.0.0.1:8000",
        *,
        debug: bool = False,
        send: bool = True,
        sync_mode: bool = False,
        max_queue_size: int = 10_000,
        on_full: OnFull = "drop_oldest",
        flush_at: int = 100,
        flush_interval: float = 0.5,
        max_retries: int = 8,
        gzip: bool = True,
        timeout: float = 10.0,
        transport: Transport | None = None,
        on_error: OnError | None = None,
    ) -> None:
        _check_options(write_key, on_full, max_queue_size, flush_at)
        self.debug, self.send, self.sync_mode = debug, send, sync_mode
        self._consumer = Consumer(
            transport or HttpTransport(host, gzip=gzip, timeout=timeout),
            _headers(write_key),
            max_queue_size=max_queue_size,
            on_full=on_full,
            flush_at=flush_at,
            flush_interval=flush_interval,
            max_retries=max_retries,
            on_error=on_error,
        )

    @property
    def dropped(self) -> int:
        """Messages dropped because the queue was full."""
        return self._consumer.dropped

    def track(  # noqa: PLR0917 - Segment's positional order
        self,
        user_id: str | None = None,
        event: str | None = None,
        properties: Fields = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        fields = {"userId": user_id, "event": event, "properties": properties or {}}
        return self._call("track", fields, common, event=event)

    def identify(  # noqa: PLR0917 - Segment's positional order
        self,
        user_id: str | None = None,
        traits: Fields = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        return self._call("identify", {"userId": user_id, "traits": traits or {}}, common)

    def group(  # noqa: PLR0917 - Segment's positional order
        self,
        user_id: str | None = None,
        group_id: str | None = None,
        traits: Fields = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        fields = {"userId": user_id, "groupId": group_id, "traits": traits or {}}
        return self._call("group", fields, common, group_id=group_id)

    def page(  # noqa: PLR0917 - Segment's positional order
        self,
        user_id: str | None = None,
        category: str | None = None,
        name: str | None = None,
        properties: Fields = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        fields = {"userId": user_id, "category": category, "name": name}
        return self._call("page", {**fields, "properties": properties or {}}, common)

    def screen(  # noqa: PLR0917 - Segment's positional order
        self,
        user_id: str | None = None,
        name: str | None = None,
        properties: Fields = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        fields = {"userId": user_id, "name": name, "properties": properties or {}}
        return self._call("screen", fields, common)

    def alias(  # noqa: PLR0917 - Segment's positional order
        self,
        previous_id: str | None = None,
        user_id: str | None = None,
        context: Fields = None,
        timestamp: datetime | None = None,
        anonymous_id: str | None = None,
        integrations: Fields = None,
        message_id: str | None = None,
    ) -> dict[str, Any] | None:
        common = _common(context, timestamp, anonymous_id, integrations, message_id)
        fields = {"previousId": previous_id, "userId": user_id}
        return self._call("alias", fields, common, previous_id=previous_id, user_id=user_id)

    def flush(self, timeout: float | None = None) -> bool:
        """Send everything queued; whether it was all handled before ``timeout`` seconds."""
        return self._consumer.flush(timeout)

    def shutdown(self, timeout: float | None = None) -> bool:
        """Flush, then stop taking messages; also runs at interpreter exit."""
        return self._consumer.shutdown(timeout)

    def _call(
        self, call_type: str, fields: dict[str, Any], common: dict[str, Any], **required: Any
    ) -> dict[str, Any] | None:
        """Build and enqueue one message; the message, or ``None`` when it was dropped."""
        try:
            message, item = self._message(call_type, fields, common, required)
        except (TypeError, ValueError) as error:
            if self.debug:
                raise
            logger.error("waypost: %s call dropped: %s", call_type, error)
            return None
        self._enqueue(item)
        return message

    def _message(
        self,
        call_type: str,
        fields: dict[str, Any],
        common: dict[str, Any],
        required: dict[str, Any],
    ) -> tuple[dict[str, Any], bytes]:
        validate_required(call_type, **required)
        message = build(call_type, fields, common)
        item = encode(message)
        if len(item) > MAX_MESSAGE_BYTES:
            raise ValueError(f"message is {len(item)} bytes, over the 32 KB limit")
        return message, item

    def _enqueue(self, item: bytes) -> None:
        if not self.send:
            return
        if self.sync_mode:
            self._consumer.send_now([item])
        else:
            self._consumer.put(item)


def _common(
    context: Fields,
    timestamp: datetime | None,
    anonymous_id: str | None,
    integrations: Fields,
    message_id: str | None,
) -> dict[str, Any]:
    """The arguments every call type takes, by their Python names."""
    return {
        "context": context,
        "timestamp": timestamp,
        "anonymous_id": anonymous_id,
        "integrations": integrations,
        "message_id": message_id,
    }


def _check_options(write_key: str, on_full: str, max_queue_size: int, flush_at: int) -> None:
    """Configuration mistakes raise at once, debug or not: they would lose every message."""
    if not write_key or not isinstance(write_key, str):
        raise ValueError("write_key must be a non-empty string")
    if on_full not in ("drop_oldest", "drop_newest"):
        raise ValueError("on_full must be 'drop_oldest' or 'drop_newest'")
    if max_queue_size < 1 or flush_at < 1:
        raise ValueError("max_queue_size and flush_at must be at least 1")


def _headers(write_key: str) -> dict[str, str]:
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    return {
        "Authorization": f"Basic {token}",
        "Content-Type": "application/json",
        "User-Agent": "waypost-python",
    }
