"""``Settings``: built from ``WAYPOST_*`` variables, validated, safe in production."""

from __future__ import annotations

import dataclasses

import click
import pytest

from collector import cli
from collector.kit.settings import (
    DEFAULT_DATABASE_URL,
    DEVELOPMENT_SIGNING_SECRET,
    Settings,
    SettingsError,
)

RANDOM_SECRET = "f3c1b0e9a7d54c2b8e6f1a3d5c7b9e0f"


def public_fields(settings: Settings) -> dict[str, object]:
    """Every field but the secret (starlette's ``Secret`` compares by identity)."""
    values = dataclasses.asdict(settings)
    del values["signing_secret"]
    return values


def test_empty_environment_gives_the_defaults() -> None:
    settings = Settings.from_env({})
    assert public_fields(settings) == public_fields(Settings())
    assert settings.database_url == DEFAULT_DATABASE_URL


def test_default_signing_secret_is_the_development_placeholder() -> None:
    assert str(Settings.from_env({}).signing_secret) == DEVELOPMENT_SIGNING_SECRET


def test_every_variable_sets_its_field() -> None:
    settings = Settings.from_env(
        {
            "WAYPOST_DATABASE_URL": "postgresql+psycopg://waypost@db/waypost",
            "WAYPOST_HOST": "0.0.0.0",
            "WAYPOST_PORT": "9000",
            "WAYPOST_WORKERS": "4",
            "WAYPOST_LOG_LEVEL": "debug",
            "WAYPOST_ENV": "production",
            "WAYPOST_SIGNING_SECRET": RANDOM_SECRET,
            "WAYPOST_KEY_GRACE_SECONDS": "60",
            "WAYPOST_CORS_ORIGINS": "https://app.example.com, https://www.example.com",
            "WAYPOST_DB_POOL_SIZE": "20",
        }
    )
    assert public_fields(settings) == public_fields(
        Settings(
            database_url="postgresql+psycopg://waypost@db/waypost",
            host="0.0.0.0",
            port=9000,
            workers=4,
            log_level="debug",
            environment="production",
            key_grace_seconds=60,
            cors_origins=("https://app.example.com", "https://www.example.com"),
            db_pool_size=20,
        )
    )
    assert str(settings.signing_secret) == RANDOM_SECRET


def test_variables_without_the_prefix_are_ignored() -> None:
    assert Settings.from_env({"PORT": "9000"}).port == 8000


def test_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYPOST_PORT", "9123")
    assert Settings.from_env().port == 9123


def test_signing_secret_is_hidden_from_repr() -> None:
    settings = Settings.from_env({"WAYPOST_SIGNING_SECRET": RANDOM_SECRET})
    assert RANDOM_SECRET not in repr(settings)


def test_malformed_number_is_a_settings_error_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="WAYPOST_PORT"):
        Settings.from_env({"WAYPOST_PORT": "eighty"})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("WAYPOST_ENV", "staging"),
        ("WAYPOST_LOG_LEVEL", "verbose"),
        ("WAYPOST_WORKERS", "0"),
        ("WAYPOST_PORT", "0"),
        ("WAYPOST_PORT", "65536"),
        ("WAYPOST_KEY_GRACE_SECONDS", "-1"),
    ],
)
def test_value_that_cannot_work_is_refused_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_production_refuses_the_placeholder_secret_when_none_is_set() -> None:
    with pytest.raises(SettingsError, match="WAYPOST_SIGNING_SECRET"):
        Settings.from_env({"WAYPOST_ENV": "production"})


def test_production_refuses_the_placeholder_secret_when_set_explicitly() -> None:
    environ = {"WAYPOST_ENV": "production", "WAYPOST_SIGNING_SECRET": DEVELOPMENT_SIGNING_SECRET}
    with pytest.raises(SettingsError, match="WAYPOST_SIGNING_SECRET"):
        Settings.from_env(environ)


def test_production_refuses_a_short_secret() -> None:
    environ = {"WAYPOST_ENV": "production", "WAYPOST_SIGNING_SECRET": RANDOM_SECRET[:31]}
    with pytest.raises(SettingsError, match="32 characters"):
        Settings.from_env(environ)


def test_production_accepts_a_random_secret_of_32_characters() -> None:
    environ = {"WAYPOST_ENV": "production", "WAYPOST_SIGNING_SECRET": RANDOM_SECRET}
    assert Settings.from_env(environ).environment == "production"


def test_development_accepts_the_placeholder_secret() -> None:
    assert Settings.from_env({"WAYPOST_ENV": "development"}).environment == "development"


def test_single_cors_origin_is_a_one_item_tuple() -> None:
    settings = Settings.from_env({"WAYPOST_CORS_ORIGINS": "https://app.example.com"})
    assert settings.cors_origins == ("https://app.example.com",)


def test_replace_changes_fields_and_keeps_the_rest() -> None:
    settings = Settings(port=9000).replace(workers=3)
    assert (settings.port, settings.workers) == (9000, 3)


def test_replace_validates_again() -> None:
    with pytest.raises(SettingsError, match="WAYPOST_WORKERS"):
        Settings().replace(workers=0)


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("sqlite:///var/waypost.db", True), ("postgresql+psycopg://u@h/db", False)],
)
def test_is_sqlite_follows_the_database_url(url: str, expected: bool) -> None:
    assert Settings(database_url=url).is_sqlite is expected


def _serve_options() -> list[click.Option]:
    return [param for param in cli.serve.params if isinstance(param, click.Option)]


def test_every_serve_flag_is_a_settings_field() -> None:
    fields = {field.name for field in dataclasses.fields(Settings)}
    assert {option.name for option in _serve_options()} <= fields


def test_every_serve_flag_reads_the_variable_of_its_field() -> None:
    assert all(option.envvar == f"WAYPOST_{option.name.upper()}" for option in _serve_options())


def test_from_env_reads_the_variable_of_every_serve_flag() -> None:
    environ = {
        "WAYPOST_HOST": "0.0.0.0",
        "WAYPOST_PORT": "9000",
        "WAYPOST_WORKERS": "2",
        "WAYPOST_DATABASE_URL": "sqlite:///elsewhere.db",
        "WAYPOST_LOG_LEVEL": "warning",
    }
    assert {option.envvar for option in _serve_options()} == set(environ)
    settings = Settings.from_env(environ)
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9000, 2)
    assert (settings.database_url, settings.log_level) == ("sqlite:///elsewhere.db", "warning")
