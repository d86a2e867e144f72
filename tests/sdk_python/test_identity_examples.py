"""The Django and Flask examples put a signed identity in the page that the collector
accepts, and a hostile trait stays text inside the page's script."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import httpx2
import pytest
from django.conf import settings
from django.template.loader import render_to_string

from collector.projects.service import CreatedProject
from examples.python_identity.flask_app import User, create_app
from examples.python_identity.identity import browser_identity
from tests import factories
from tests.conftest import LiveServer

EXAMPLE = Path(__file__).parents[2] / "examples" / "python_identity"
SECRET = "ik_example"
HOSTILE = "</script><img src=x onerror=alert(1)>"
FLASK_IDENTITY = re.compile(r"var identity = (.*);")
DJANGO_IDENTITY = re.compile(
    r'<script id="waypost-identity" type="application/json">(.*?)</script>'
)


def flask_page(user: User | None, secret: str = SECRET) -> str:
    app = create_app("https://waypost.example.com", "wk_example", secret, lambda: user)
    return app.test_client().get("/").get_data(as_text=True)


def flask_identity(page: str) -> Any:
    found = FLASK_IDENTITY.search(page)
    assert found is not None
    return json.loads(found.group(1))


@dataclass(frozen=True)
class DjangoUser:
    """What the context processor reads of ``django.contrib.auth``'s user."""

    pk: int
    email: str
    name: str
    is_authenticated: bool = True

    def get_full_name(self) -> str:
        return self.name


@dataclass(frozen=True)
class DjangoRequest:
    user: DjangoUser


@pytest.fixture(scope="module")
def django_templates() -> None:
    if not settings.configured:
        processor = "examples.python_identity.django_identity.waypost_identity"
        settings.configure(
            WAYPOST={"HOST": "https://waypost.example.com", "WRITE_KEY": "wk_example"}
            | {"IDENTITY_SECRET": SECRET},
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [str(EXAMPLE / "templates")],
                    "OPTIONS": {"context_processors": [processor]},
                }
            ],
        )
        django.setup()


def test_the_flask_page_carries_the_signed_identity() -> None:
    page = flask_page(User("user-42", "ada@example.com", "pro"))
    expected = browser_identity("user-42", {"email": "ada@example.com", "plan": "pro"}, SECRET)
    assert flask_identity(page) == expected


def test_the_flask_page_keeps_a_hostile_trait_inside_its_script() -> None:
    page = flask_page(User("user-42", HOSTILE, "pro"))
    assert HOSTILE not in page
    assert flask_identity(page)["traits"]["email"] == HOSTILE


def test_the_flask_page_of_a_signed_out_visitor_identifies_nobody() -> None:
    assert flask_identity(flask_page(None)) is None


def test_the_django_page_carries_the_signed_identity(django_templates: None) -> None:
    request = DjangoRequest(DjangoUser(42, "ada@example.com", HOSTILE))
    page = render_to_string("django_page.html", request=request)
    found = DJANGO_IDENTITY.search(page)
    assert found is not None and HOSTILE not in page
    expected = browser_identity("42", {"email": "ada@example.com", "name": HOSTILE}, SECRET)
    assert json.loads(found.group(1)) == expected


def test_the_identity_in_the_page_is_accepted_by_the_collector(
    live_server: LiveServer, project: CreatedProject
) -> None:
    identity = flask_identity(
        flask_page(User("user-42", "ada@example.com", "pro"), project.identity_secret)
    )
    with httpx2.Client(base_url=live_server.url, timeout=15.0) as http:
        settings_patch = {"settings": {"require_identity_verification": True}}
        http.patch("/api/v1/project", json=settings_patch, headers=factories.secret_auth(project))
        params = {"userId": identity["userId"], "identityHash": identity["identityHash"]}
        flows = http.get("/v1/flows", params=params, headers=factories.write_auth(project))
    assert flows.status_code == 200, flows.text
