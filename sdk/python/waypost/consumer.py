"""The background half of the SDK: tracking calls only enqueue, and daemon threads send
them in batches, so that a slow or unreachable collector never slows the host application.

Batches close at ``flush_at`` messages, at the collector's 500 KB body limit, or
``flush_interval`` seconds after their first message. Failed sends are retried with
exponential backoff and full jitter (network errors, 5xx, and 429 after its
``Retry-After``); any other 4xx is final. The queue is bounded: when full, the oldest or
the newest message is dropped and counted. After ``os.fork()`` the child starts with an
empty queue and its own threads, so the parent's messages are never sent twice.

With ``threads`` above one, that many batches are in flight at once: while the collector
stores one, the next is on its way, which roughly doubles what one client delivers.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import random
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, Literal

from waypost.connection import retry_after
from waypost.errors import DeliveryError
from waypost.messages import now_iso
from waypost.transport import Response, Transport

logger = logging.getLogger("waypost")

MAX_BATCH_BYTES = 500 * 1024 - 128
"""The collector's limit, less room for ``{"batch":[...],"sentAt":"..."}`` around the items."""
BACKOFF_BASE_SECONDS = 0.1
BACKOFF_CAP_SECONDS = 30.0
RETRY_AFTER_CAP_SECONDS = 300.0

OnFull = Literal["drop_oldest", "drop_newest"]
OnError = Callable[[Exception, list[dict[str, Any]]], None]


class Consumer:
    """The bounded queue of encoded messages and the threads that send it in batches."""

    def __init__(
        self,
        transport: Transport,
        headers: Mapping[str, str],
        *,
        max_queue_size: int,
        on_full: OnFull,
        flush_at: int,
        flush_interval: float,
        max_retries: int,
        on_error: OnError | None,
        exit_timeout: float | None = None,
        threads: int = 1,
    ) -> None:
        self.transport, self.headers, self.on_error = transport, dict(headers), on_error
        self.max_queue_size, self.on_full = max_queue_size, on_full
        self.flush_at, self.flush_interval, self.max_retries = flush_at, flush_interval, max_retries
        self.exit_timeout, self.threads = exit_timeout, threads
        self.dropped = 0
        self._reset()
        atexit.register(self._at_exit)
        _after_fork_in_child(self)

    def _reset(self) -> None:
        """Fresh state: at start, and in a forked child (whose copied lock may be held)."""
        self._condition = threading.Condition(threading.Lock())
        self._queue: deque[bytes] = deque()
        self._pending = 0
        self._flush_requested = False
        self._stopping = False
        self._started = False

    def put(self, item: bytes) -> None:
        with self._condition:
            if self._stopping:
                logger.warning("waypost: client is shut down; message dropped")
                return
            queue = self._queue
            if len(queue) >= self.max_queue_size and not self._make_room():
                return
            queue.append(item)
            self._pending += 1
            if not self._started:
                self._start_threads()
            # Wake the sending threads only when it changes what they do: the first message
            # starts the interval, a full batch ends it. Waking them on every call would
            # cost the caller a thread switch each time.
            if len(queue) == 1 or len(queue) >= self.flush_at:
                self._condition.notify_all()

    def _make_room(self) -> bool:
        """Apply the drop policy to a full queue; whether the new message may go in."""
        self.dropped += 1
        logger.warning(
            "waypost: queue full (%d); dropping the %s message",
            self.max_queue_size,
            self.on_full.removeprefix("drop_"),
        )
        if self.on_full == "drop_newest":
            return False
        self._queue.popleft()
        self._pending -= 1
        return True

    def flush(self, timeout: float | None = None) -> bool:
        """Send what is queued now; whether all of it was handled before ``timeout``."""
        with self._condition:
            self._flush_requested = True
            self._condition.notify_all()
            return self._condition.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, timeout: float | None = None) -> bool:
        flushed = self.flush(timeout)
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        atexit.unregister(self._at_exit)
        close = getattr(self.transport, "close", None)
        if close is not None:
            close()
        return flushed

    def _at_exit(self) -> None:
        """Deliver what is queued before the interpreter exits, waiting ``exit_timeout`` at
        most, so that an unreachable collector cannot hold a deploy's restart for minutes."""
        if not self.shutdown(self.exit_timeout):
            logger.error("waypost: exiting with %d messages not delivered", self._pending)

    def send_now(self, items: list[bytes]) -> None:
        """Send in the caller's thread (``sync_mode``), with the same retries."""
        self._deliver(items)

    def _start_threads(self) -> None:
        self._started = True
        for number in range(self.threads):
            name = f"waypost-consumer-{number}"
            threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._deliver(batch)
            finally:
                with self._condition:
                    self._pending -= len(batch)
                    self._condition.notify_all()

    def _next_batch(self) -> list[bytes] | None:
        """Wait for a batch to close and take it; ``None`` once stopped and drained."""
        with self._condition:
            while True:
                self._condition.wait_for(lambda: self._queue or self._stopping)
                if not self._queue:
                    return None
                deadline = time.monotonic() + self.flush_interval
                while not self._ready() and (left := deadline - time.monotonic()) > 0:
                    self._condition.wait(left)
                if self._queue:  # another sending thread may have taken it meanwhile
                    return self._take()

    def _ready(self) -> bool:
        return self._flush_requested or self._stopping or len(self._queue) >= self.flush_at

    def _take(self) -> list[bytes]:
        batch: list[bytes] = []
        size = 0
        while self._queue and len(batch) < self.flush_at:
            size += len(self._queue[0]) + 1
            if batch and size > MAX_BATCH_BYTES:
                break
            batch.append(self._queue.popleft())
        self._flush_requested = self._flush_requested and bool(self._queue)
        return batch

    def _deliver(self, batch: list[bytes]) -> None:
        try:
            self._send_with_retries(batch)
        except Exception as error:
            logger.error("waypost: %d messages not delivered: %s", len(batch), error)
            self._report(error, batch)

    def _report(self, error: Exception, batch: list[bytes]) -> None:
        if self.on_error is None:
            return
        try:
            self.on_error(error, [json.loads(item) for item in batch])
        except Exception:
            logger.exception("waypost: on_error raised")

    def _send_with_retries(self, batch: list[bytes]) -> None:
        for attempt in range(self.max_retries + 1):
            delay = self._attempt(batch, final=attempt == self.max_retries)
            if delay is None:
                return
            time.sleep(delay or _backoff(attempt))

    def _attempt(self, batch: list[bytes], *, final: bool) -> float | None:
        """Send once; ``None`` when done, else the seconds to wait (0: use backoff)."""
        try:
            response = self.transport.send(_body(batch), self.headers)
        except OSError as error:
            if final:
                raise DeliveryError(f"network error: {error}") from error
            logger.warning("waypost: network error, will retry: %s", error)
            return 0.0
        return _retry_delay(response, final=final)


def _body(batch: list[bytes]) -> bytes:
    sent_at = now_iso().encode()
    return b'{"batch":[' + b",".join(batch) + b'],"sentAt":"' + sent_at + b'"}'


def _retry_delay(response: Response, *, final: bool) -> float | None:
    status = response.status
    if status < 300:
        return None
    retryable = status >= 500 or status == 429
    if final or not retryable:
        detail = response.body[:500].decode(errors="replace")
        raise DeliveryError(f"collector answered {status}: {detail}", status)
    logger.warning("waypost: collector answered %d, will retry", status)
    if status != 429:
        return 0.0
    wait = retry_after(response.headers.get("retry-after"))
    return 0.0 if wait is None else min(wait, RETRY_AFTER_CAP_SECONDS)


def _backoff(attempt: int) -> float:
    """Full jitter: anywhere between 0 and the exponential ceiling."""
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))


def _after_fork_in_child(consumer: Consumer) -> None:
    """Give the child of a fork a fresh queue; a weak reference lets the consumer be freed."""
    reference = weakref.ref(consumer)

    def reset() -> None:
        alive = reference()
        if alive is not None:
            alive._reset()

    os.register_at_fork(after_in_child=reset)
