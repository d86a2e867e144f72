"""Waypost's Python SDK: send Segment-format tracking calls to a Waypost collector, sign
user ids for identity verification (``identity_hash``), and read and manage the project
through the admin API (``AdminClient``, typed by ``waypost.models`` and
``waypost.analytics``).

Use a ``Client`` of your own, or call ``configure()`` once at startup and then the
module-level functions. Importing the package starts nothing: no thread, no connection.
"""

from __future__ import annotations

import logging
from typing import Any

from waypost.admin import AdminClient
from waypost.client import Client
from waypost.errors import APIError, DeliveryError, NotConfiguredError
from waypost.identity import identity_hash
from waypost.messages import VERSION
from waypost.transport import HttpTransport, MockTransport, Request, Response, Transport

__version__ = VERSION
__all__ = [
    "APIError",
    "AdminClient",
    "Client",
    "DeliveryError",
    "HttpTransport",
    "MockTransport",
    "Request",
    "Response",
    "Transport",
    "__version__",
    "alias",
    "configure",
    "flush",
    "group",
    "identify",
    "identity_hash",
    "page",
    "screen",
    "shutdown",
    "track",
]

logger = logging.getLogger("waypost")
_default: dict[str, Any] = {"client": None, "debug": False}
"""The client of ``configure()``, and whether it asked for debug (kept after shutdown)."""


def configure(write_key: str, **options: Any) -> Client:
    """Create the default client the module-level functions use, replacing any earlier one."""
    shutdown()
    client = Client(write_key, **options)
    _default.update(client=client, debug=options.get("debug", False))
    return client


def _client(call: str) -> Client | None:
    client: Client | None = _default["client"]
    if client is None:
        problem = f"waypost.{call}() before waypost.configure(write_key)"
        if _default["debug"]:
            raise NotConfiguredError(problem)
        logger.error("waypost: %s; ignored", problem)
    return client


def track(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("track")
    return client.track(*args, **kwargs) if client else None


def identify(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("identify")
    return client.identify(*args, **kwargs) if client else None


def group(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("group")
    return client.group(*args, **kwargs) if client else None


def page(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("page")
    return client.page(*args, **kwargs) if client else None


def screen(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("screen")
    return client.screen(*args, **kwargs) if client else None


def alias(*args: Any, **kwargs: Any) -> dict[str, Any] | None:
    client = _client("alias")
    return client.alias(*args, **kwargs) if client else None


def flush(timeout: float | None = None) -> bool:
    client = _client("flush")
    return client.flush(timeout) if client else False


def shutdown(timeout: float | None = None) -> bool:
    """Flush and stop the default client; calling it when none is configured does nothing."""
    client: Client | None = _default["client"]
    _default["client"] = None
    return client.shutdown(timeout) if client else True
