"""A mistaken configuration raises in debug; otherwise it is logged and the client ignores
every call, so that a missing key in a deploy never takes the application down."""

from __future__ import annotations

import logging

import pytest
from waypost import Client

from tests.sdk_python.recording import Collector, client


def test_an_empty_write_key_raises_in_debug() -> None:
    with pytest.raises(ValueError, match="write_key"):
        Client("", debug=True)


def test_an_empty_write_key_disables_the_client() -> None:
    disabled = Client("")
    assert disabled.disabled
    assert disabled.track("user-1", "Report Created") is None


def test_a_disabled_client_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="waypost"):
        Client("", on_full="drop_oldest").identify("user-1")
    assert [record.message for record in caplog.records] == [
        "waypost: client disabled, nothing will be sent: write_key must be a non-empty string"
    ]


def test_a_host_that_is_not_a_url_disables_the_client() -> None:
    assert Client("wk_test", "waypost.example.com").disabled


def test_a_disabled_client_flushes_and_shuts_down_at_once() -> None:
    disabled = Client("")
    assert (disabled.flush(0), disabled.shutdown(0), disabled.dropped) == (True, True, 0)


def test_a_valid_configuration_is_enabled() -> None:
    assert not client(Collector()).disabled


def test_no_sending_thread_is_refused_in_debug() -> None:
    with pytest.raises(ValueError, match="threads must be at least 1"):
        client(Collector(), threads=0, debug=True)
