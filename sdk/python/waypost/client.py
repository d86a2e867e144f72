"""The calls your application makes. They validate and build a Segment-format message and
hand it to the consumer, with no I/O, so tracking never slows or breaks a request.

Misuse raises ``TypeError``/``ValueError`` only with ``debug=True``; otherwise it is logged
on the ``waypost`` logger and the message is dropped: analytics must not take down the
application that sends them. An invalid configuration (an empty write key, a host that is
not a URL) likewise raises only in debug; otherwise it is logged once and the client is
``disabled``, ignoring every call, as posthog does (segment raises at construction).
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from typing import Any

from waypost.consumer import Consumer, OnError, OnFull
from waypost.messages import (
    MAX_MESSAGE_BYTES,
    VERSION,
    Common,
    Fields,
    build,
    encode,
    validate_required,
)
from waypost.transport import HttpTransport, Transport

logger = logging.getLogger("waypost")


class Client:
    """Tracking calls with Segment's argument order; each builds a message and queues it.

    Options:

    - ``write_key``: the project's public key; ``host``: the collector's base URL.
    - ``debug``: raise ``TypeError``/``ValueError`` on misuse instead of logging it.
    - ``send=False``: build and validate, send nothing (tests, dry runs).
    - ``sync_mode``: send each call before returning (serverless functions that freeze
      between requests); retries still apply.
    - ``max_queue_size``, ``on_full``: the bound of the queue and what a full one drops
      (``drop_oldest`` or ``drop_newest``), counted in ``dropped``.
    - ``flush_at``, ``flush_interval``: a batch closes at this many messages, at the
      collector's 500 KB, or this many seconds after it opened. Large batches matter: the
      collector spends about half as much per event on batches of 2,000 as of 100.
    - ``threads``: batches in flight at once, each on a kept-alive connection of its own;
      with more than one, batches may arrive out of order (the collector orders by time).
    - ``max_retries``: attempts after the first for network errors, 5xx and 429.
    - ``gzip``, ``timeout``: request compression, and seconds to wait for the collector.
    - ``transport``: where batches go instead of HTTP (``MockTransport`` in tests).
    - ``on_error(error, batch)``: hears of each batch that could not be delivered;
      ``error`` is a ``DeliveryError`` carrying the last HTTP status.
    - ``exit_timeout``: seconds the interpreter's exit waits to deliver the queue.
    """

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
        flush_at: int = 2000,
        flush_interval: float = 0.5,
        max_retries: int = 8,
        gzip: bool = True,
        timeout: float = 10.0,
        transport: Transport | None = None,
        on_error: OnError | None = None,
        exit_timeout: float | None = 10.0,
        threads: int = 2,
    ) -> None:
        self.debug, self.send, self.sync_mode = debug, send, sync_mode
        self._consumer: Consumer | None = None
        try:
            _check_options(write_key, on_full, max_queue_size, flush_at, threads)
            self._consumer = Consumer(
                transport or HttpTransport(host, gzip=gzip, timeout=timeout),
                _headers(write_key),
                max_queue_size=max_queue_size,
                on_full=on_full,
                flush_at=flush_at,
                flush_interval=flush_interval,
                max_retries=max_retries,
                on_error=on_error,
                exit_timeout=exit_timeout,
                threads=threads,
            )
        except (TypeError, ValueError) as error:
            # A deploy with a missing key must not take the application down with it.
            if debug:
                raise
            logger.error("waypost: client disabled, nothing will be sent: %s", error)

    @property
    def disabled(self) -> bool:
        """Whether the configuration was invalid, so that every call is ignored."""
        return self._consumer is None

    @property
    def dropped(self) -> int:
        """Messages dropped because the queue was full."""
        return 0 if self._consumer is None else self._consumer.dropped

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
        fields = {"userId": user_id, "event": event, "properties": properties or {}}
        common = (context, timestamp, anonymous_id, integrations, message_id)
        return self._call("track", fields, common, ("event", event))

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
        common = (context, timestamp, anonymous_id, integrations, message_id)
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
        fields = {"userId": user_id, "groupId": group_id, "traits": traits or {}}
        common = (context, timestamp, anonymous_id, integrations, message_id)
        return self._call("group", fields, common, ("group_id", group_id))

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
        fields = {"userId": user_id, "category": category, "name": name}
        common = (context, timestamp, anonymous_id, integrations, message_id)
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
        fields = {"userId": user_id, "name": name, "properties": properties or {}}
        common = (context, timestamp, anonymous_id, integrations, message_id)
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
        fields = {"previousId": previous_id, "userId": user_id}
        common = (context, timestamp, anonymous_id, integrations, message_id)
        required = (("previous_id", previous_id), ("user_id", user_id))
        return self._call("alias", fields, common, *required)

    def flush(self, timeout: float | None = None) -> bool:
        """Send everything queued; whether it was all handled before ``timeout`` seconds."""
        return True if self._consumer is None else self._consumer.flush(timeout)

    def shutdown(self, timeout: float | None = None) -> bool:
        """Flush, then stop taking messages; also runs at interpreter exit."""
        return True if self._consumer is None else self._consumer.shutdown(timeout)

    def _call(
        self,
        call_type: str,
        fields: dict[str, Any],
        common: Common,
        *required: tuple[str, Any],
    ) -> dict[str, Any] | None:
        """Build and enqueue one message; the message, or ``None`` when it was dropped."""
        consumer = self._consumer
        if consumer is None:
            return None
        try:
            for name, value in required:
                validate_required(call_type, name, value)
            message = build(call_type, fields, common)
            item = encode(message)
            if len(item) > MAX_MESSAGE_BYTES:
                raise ValueError(f"message is {len(item)} bytes, over the 32 KB limit")
        except (TypeError, ValueError) as error:
            if self.debug:
                raise
            logger.error("waypost: %s call dropped: %s", call_type, error)
            return None
        if self.send:
            consumer.send_now([item]) if self.sync_mode else consumer.put(item)
        return message


def _check_options(write_key: str, on_full: str, *counts: int) -> None:
    """Configuration mistakes that would lose every message: raised in debug, else logged."""
    if not write_key or not isinstance(write_key, str):
        raise ValueError("write_key must be a non-empty string")
    if on_full not in ("drop_oldest", "drop_newest"):
        raise ValueError("on_full must be 'drop_oldest' or 'drop_newest'")
    if min(counts) < 1:
        raise ValueError("max_queue_size, flush_at and threads must be at least 1")


def _headers(write_key: str) -> dict[str, str]:
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    return {
        "Authorization": f"Basic {token}",
        "Content-Type": "application/json",
        "User-Agent": f"waypost-python/{VERSION}",
    }
