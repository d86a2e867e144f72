"""The ``waypost worker`` command and the ``WAYPOST_WEBHOOK_*`` settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from collector.cli import main
from collector.kit.settings import Settings, SettingsError
from tests.collector.webhooks.test_live import WORKER_ENV


def test_the_worker_command_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["worker", "--database-url", f"sqlite:///{tmp_path / 'new.db'}"]
    )
    assert result.exit_code == 1
    assert "run `waypost migrate` first" in result.output


def test_settings_refuse_a_lease_no_longer_than_three_timeouts() -> None:
    with pytest.raises(SettingsError, match="LEASE_SECONDS must be longer than three"):
        Settings.from_env(
            {"WAYPOST_WEBHOOK_LEASE_SECONDS": "30", "WAYPOST_WEBHOOK_TIMEOUT_SECONDS": "10"}
        )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WAYPOST_WEBHOOK_RETRY_SCHEDULE", "0,-5"),
        ("WAYPOST_WEBHOOK_POLL_SECONDS", "0"),
        ("WAYPOST_WEBHOOK_CONCURRENCY", "0"),
        ("WAYPOST_WEBHOOK_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_settings_refuse_webhook_values_that_cannot_work(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=r"WAYPOST_WEBHOOK|could not convert"):
        Settings.from_env({variable: value})


def test_webhook_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env({**WORKER_ENV, "WAYPOST_WORKER_IN_PROCESS": "true"})
    assert settings.worker_in_process is True
    assert settings.webhooks.allow_private_targets is True
    assert settings.webhooks.retry_schedule == (0.0, 0.2, 0.2, 0.2)
    assert settings.webhooks.lease_seconds == 3.5


def test_the_share_of_one_endpoint_is_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {"WAYPOST_WEBHOOK_CONCURRENCY": "12", "WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY": "3"}
    )
    assert (settings.webhooks.endpoint_concurrency, settings.webhooks.endpoint_limit) == (3, 3)


def test_settings_refuse_a_negative_share_of_one_endpoint() -> None:
    with pytest.raises(SettingsError, match="WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY"):
        Settings.from_env({"WAYPOST_WEBHOOK_ENDPOINT_CONCURRENCY": "-1"})
