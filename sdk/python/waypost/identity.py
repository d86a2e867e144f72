"""Identity verification: your server signs each user id so that a browser cannot pose as
another user by changing the id it sends.

Same scheme as the collector's check: hex HMAC-SHA256 of the user id, keyed with the
project's identity secret. Compute it server-side only; the secret never goes to a browser.
"""

from __future__ import annotations

import hashlib
import hmac


def identity_hash(user_id: str, secret: str) -> str:
    """The ``identityHash`` to send along with ``user_id``."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()
