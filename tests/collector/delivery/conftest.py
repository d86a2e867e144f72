"""Fixtures of the delivery loop tests; the helpers they call are in ``tests.factories``."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from collector.projects.service import CreatedProject
from tests.factories import lift_project_caps


@pytest.fixture
def uncapped(client: TestClient, project: CreatedProject) -> CreatedProject:
    """``project`` without its per-session cap and survey gap, to see every eligible one."""
    lift_project_caps(client, project)
    return project
