"""Flask: a context processor puts the signed-in user's identity in every template, and
the template hands it to the browser SDK with Jinja's ``tojson`` filter, which escapes
``<``, ``>``, ``&`` and ``'`` so that a trait cannot close the ``<script>`` it sits in.

Run it (a demo user is always signed in)::

    WAYPOST_HOST=http://127.0.0.1:8000 WAYPOST_WRITE_KEY=wk_... \\
    WAYPOST_IDENTITY_SECRET=ik_... flask --app examples/python_identity/flask_app run
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, render_template

from examples.python_identity.identity import browser_identity


@dataclass(frozen=True)
class User:
    id: str
    email: str
    plan: str


def create_app(
    host: str, write_key: str, identity_secret: str, current_user: Callable[[], User | None]
) -> Flask:
    """``current_user`` is your authentication's: the signed-in user, or ``None``."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))

    @app.context_processor
    def waypost_identity() -> dict[str, Any]:
        user = current_user()
        identity = None
        if user is not None:
            traits = {"email": user.email, "plan": user.plan}
            identity = browser_identity(user.id, traits, identity_secret)
        return {"waypost_host": host, "waypost_write_key": write_key, "waypost_identity": identity}

    @app.get("/")
    def home() -> str:
        return render_template("flask_page.html")

    return app


def demo() -> Flask:
    environ = os.environ
    user = User("user-42", "ada@example.com", "pro")
    return create_app(
        environ["WAYPOST_HOST"],
        environ["WAYPOST_WRITE_KEY"],
        environ["WAYPOST_IDENTITY_SECRET"],
        lambda: user,
    )
