"""What the SDK raises or reports, in one place::

    Exception
     ├── APIError            the admin API refused a request (status, code, fields, retry_after)
     ├── DeliveryError       a tracking batch the collector did not take, after any retries;
     │                       handed to ``on_error``, never raised into your code
     └── RuntimeError
          └── NotConfiguredError   a module-level call before ``waypost.configure()`` (debug)

Network failures of ``AdminClient`` propagate as ``OSError``.
"""

from __future__ import annotations

from typing import Any


class APIError(Exception):
    """The collector refused a request: ``{"error": {"code", "message", "fields"?}}``.

    ``fields`` maps each invalid field to its reasons; ``retry_after`` is the
    ``Retry-After`` header in seconds (a 429 or 503), else ``None``.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.retry_after = retry_after


class DeliveryError(Exception):
    """A batch the collector did not accept, after any retries.

    ``status`` is the collector's last HTTP status, or ``None`` after a network failure.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotConfiguredError(RuntimeError):
    """A module-level call before ``waypost.configure()``, with ``debug=True``."""
