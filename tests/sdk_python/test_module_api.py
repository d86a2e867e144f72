"""``configure()`` and the module-level calls that use its default client."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
import waypost
from waypost import MockTransport

from tests.sdk_python.recording import Collector


@pytest.fixture(autouse=True)
def unconfigured() -> Iterator[None]:
    """No default client before or after, and no debug remembered from an earlier one."""
    yield
    waypost.configure("wk_test", send=False)
    waypost.shutdown()


def test_module_calls_use_the_configured_client() -> None:
    collector = Collector()
    waypost.configure("wk_test", transport=MockTransport(collector))
    waypost.track("user-1", "Report Created")
    assert waypost.flush(5)
    assert collector.events() == ["Report Created"]


def test_a_call_before_configure_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="waypost"):
        assert waypost.track("user-1", "Report Created") is None
    assert "before waypost.configure" in caplog.text


def test_a_call_after_a_debug_client_shut_down_raises() -> None:
    waypost.configure("wk_test", debug=True, transport=MockTransport(Collector()))
    waypost.shutdown()
    with pytest.raises(RuntimeError, match=r"before waypost\.configure"):
        waypost.identify("user-1", {"plan": "pro"})


def test_importing_starts_no_thread() -> None:
    code = "import threading, waypost; print(threading.active_count())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert result.stdout.strip() == b"1"
