"""Which browser origins a project's write key works from.

A pattern is an origin (``https://app.example.com``, with a port if not the default) or
one with a wildcard first label (``https://*.example.com``, which matches subdomains, not
``example.com`` itself). An empty list allows every origin. Calls without an ``Origin``
header come from servers, not browsers, and are not concerned: the allow-list stops
another website from using a key copied from a page, which is all a public key allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from marshmallow import ValidationError

_PATTERN = re.compile(
    r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$"
)


def check_origin_pattern(value: str) -> None:
    """Refuse anything but ``scheme://host[:port]``, lower case, optionally ``*.``-prefixed."""
    if not _PATTERN.match(value):
        raise ValidationError(
            "must be an origin such as https://app.example.com or https://*.example.com"
        )


def origin_allowed(origin: str, patterns: Sequence[str]) -> bool:
    """Whether a browser ``Origin`` header matches one of the project's patterns."""
    if not patterns:
        return True
    origin = origin.strip().lower()
    for pattern in patterns:
        if origin == pattern:
            return True
        scheme, _, rest = pattern.partition("://*.")
        if rest and origin.startswith(f"{scheme}://") and origin.endswith(f".{rest}"):
            return True
    return False
