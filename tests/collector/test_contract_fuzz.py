"""Contract fuzzing: schemathesis generates requests for every operation of
``/openapi.json`` and sends them, with the project's keys, to a real ``waypost serve``.

No answer may be a 500, and every answer must match the schema its operation documents.
The number of examples per operation is bounded so the whole run stays under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err
from schemathesis.schemas import BaseSchema

from collector.kit.db.engine import build_engine
from collector.kit.db.migrate import upgrade
from collector.projects.service import CreatedProject
from tests import factories
from tests.conftest import LiveServer

EXAMPLES_PER_OPERATION = 6
SERVER_ENVIRONMENT = {
    # Fuzzing sends hundreds of calls a second: limits would answer 429 to most of them.
    "WAYPOST_RATE_LIMIT_WRITE_KEY": "0",
    "WAYPOST_RATE_LIMIT_CLIENT_IP": "0",
    "WAYPOST_RATE_LIMIT_SECRET_KEY": "0",
}


@pytest.fixture(scope="module")
def fuzzed_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, CreatedProject]]:
    directory = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{directory / 'waypost.db'}"
    engine = build_engine(url)
    upgrade(engine)
    project = factories.create_project(engine)
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SERVER_ENVIRONMENT.items():
            patch.setenv(name, value)
        server = LiveServer(url, directory / "server.log")
        server.start()
    try:
        yield server, project
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: tuple[LiveServer, CreatedProject]) -> BaseSchema:
    server, _ = fuzzed_server
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def auth_for(path: str, project: CreatedProject) -> dict[str, str]:
    if path.startswith("/v1/"):
        return factories.write_auth(project)
    return factories.secret_auth(project)


def fuzz(
    operation: APIOperation[Any, Any, Any, Any], server: LiveServer, project: CreatedProject
) -> None:
    """Send the operation's generated examples; raises on the first broken contract."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def examples(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(
            base_url=server.url,
            headers=auth_for(case.path, project),
            checks=[not_a_server_error, response_schema_conformance],
            timeout=10,
        )

    examples()


def test_every_operation_honours_its_contract(
    api_schema: BaseSchema, fuzzed_server: tuple[LiveServer, CreatedProject]
) -> None:
    server, project = fuzzed_server
    broken = []
    for result in api_schema.get_all_operations():
        if isinstance(result, Err):
            broken.append(f"an operation the document cannot describe: {result.err()}")
            continue
        operation = result.ok()
        try:
            fuzz(operation, server, project)
        except (Exception, BaseExceptionGroup) as failure:
            broken.append(f"{operation.label}: {failure}")
    assert broken == []
