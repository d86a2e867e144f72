"""The public surface is what ``__all__`` says, pinned so that it only changes on purpose."""

from __future__ import annotations

import waypost


def test_all_is_pinned() -> None:
    assert waypost.__all__ == [
        "APIError",
        "AdminClient",
        "Client",
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


def test_every_exported_name_exists() -> None:
    assert all(hasattr(waypost, name) for name in waypost.__all__)
