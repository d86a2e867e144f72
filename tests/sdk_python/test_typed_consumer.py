"""The typed consumer module runs as it type-checks; ``mypy --strict`` over it alone,
outside the repository's configuration, accepts it and refuses a misuse of the types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from waypost import APIError, Client

from tests.sdk_python import typed_consumer

CONSUMER = Path(typed_consumer.__file__)
SDK_SOURCE = CONSUMER.parents[2] / "sdk" / "python"


def strict_mypy(*paths: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` from an empty directory: the SDK and nothing else of the repository."""
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    return subprocess.run(
        [*command, *map(str, paths)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(SDK_SOURCE)},
        check=False,
    )


def test_the_consumer_module_runs() -> None:
    sent: list[dict[str, Any]] = []
    sdk = Client("wk_test", transport=typed_consumer.collecting_transport(sent))
    assert len(typed_consumer.track_a_signup(sdk, "user-1")) == 64
    assert typed_consumer.track_with_the_module(typed_consumer.collecting_transport(sent))
    assert [message["type"] for message in sent][:3] == ["identify", "track", "group"]
    assert len(sent) == 12


def test_an_api_error_reads_as_typed() -> None:
    error = APIError(429, "rate_limited", "slow down", retry_after=7.0)
    assert typed_consumer.refusal(error) == (429, "rate_limited", 7.0)


def test_strict_mypy_accepts_the_consumer_module(tmp_path: Path) -> None:
    copy = tmp_path / "consumer.py"
    copy.write_text(CONSUMER.read_text())
    result = strict_mypy(copy, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout


def test_strict_mypy_refuses_a_misuse(tmp_path: Path) -> None:
    misuse = tmp_path / "misuse.py"
    misuse.write_text(
        "import waypost\n"
        "survey = waypost.AdminClient('sk').get_survey('s-1')\n"
        "survey.version + 'x'\n"
    )
    result = strict_mypy(misuse, tmp_path=tmp_path)
    assert 'Unsupported operand types for + ("int" and "str")' in result.stdout
