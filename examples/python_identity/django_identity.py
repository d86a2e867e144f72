"""Django: a context processor puts the signed-in user's identity in every template; the
template hands it to the browser SDK with ``json_script``, which writes it as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped.

In ``settings.py``::

    WAYPOST = {"HOST": "https://waypost.example.com", "WRITE_KEY": "wk_...",
               "IDENTITY_SECRET": os.environ["WAYPOST_IDENTITY_SECRET"]}
    TEMPLATES = [{..., "OPTIONS": {"context_processors": [
        ..., "examples.python_identity.django_identity.waypost_identity"]}}]
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from examples.python_identity.identity import browser_identity


def waypost_identity(request: HttpRequest) -> dict[str, Any]:
    config = settings.WAYPOST
    user = getattr(request, "user", None)
    identity = None
    if user is not None and user.is_authenticated:
        traits = {"email": user.email, "name": user.get_full_name()}
        identity = browser_identity(str(user.pk), traits, config["IDENTITY_SECRET"])
    return {
        "waypost_host": config["HOST"],
        "waypost_write_key": config["WRITE_KEY"],
        "waypost_identity": identity,
    }
