"""What a page needs to identify its signed-in user to the browser SDK with identity
verification on: the user id, traits, and the id's signature made here, on the server.

The identity secret signs; it never goes into the page.
"""

from __future__ import annotations

from typing import Any, TypedDict

import waypost


class BrowserIdentity(TypedDict):
    userId: str
    traits: dict[str, Any]
    identityHash: str


def browser_identity(user_id: str, traits: dict[str, Any], secret: str) -> BrowserIdentity:
    """The arguments of ``waypost.identify(userId, traits, {identityHash})`` in the page."""
    return {
        "userId": user_id,
        "traits": traits,
        "identityHash": waypost.identity_hash(user_id, secret),
    }
