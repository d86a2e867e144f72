"""At exit, an unreachable collector holds the process no longer than ``exit_timeout``."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import free_port

UNREACHABLE_AT_EXIT = """
import sys, waypost
client = waypost.Client("wk_test", sys.argv[1], exit_timeout=0.5)
for n in range(3):
    client.track("user-1", "Exported")
"""


def test_an_unreachable_collector_gives_up_at_exit_timeout_with_a_log_line() -> None:
    host = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-c", UNREACHABLE_AT_EXIT, host]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    assert finished.returncode == 0
    assert "waypost: exiting with 3 messages not delivered" in finished.stderr
