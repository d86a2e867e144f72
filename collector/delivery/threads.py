"""The thread ``GET /v1/flows`` does its work on, away from the event loop.

Delivery's work is mostly Python (deciding on every live experience) around one database
statement, during which the driver releases the GIL. On SQLite that statement is short
in-process work, and with anyio's pool (``run_in_threadpool``, up to 40 threads) every
thread that releases the GIL then waits to get it back, up to the interpreter's 5 ms
switch interval, behind the others: one thread of delivery's own serves the same load
about a quarter faster, with a p99 less than half as long (``benchmarks/eligibility.py``).
On PostgreSQL the statement waits on the network, and anyio's threads overlap the waits.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from collector.kit.db.backends import backend_of

T = TypeVar("T")

_in_process_thread: list[ThreadPoolExecutor] = []
_lock = threading.Lock()


async def run_for(engine: Engine, work: Callable[[], T]) -> T:
    """``work()`` on a thread suited to the engine's database."""
    if not backend_of(engine).runs_in_process:
        return await run_in_threadpool(work)
    return await asyncio.get_running_loop().run_in_executor(_in_process_executor(), work)


def _in_process_executor() -> ThreadPoolExecutor:
    with _lock:
        if not _in_process_thread:
            _in_process_thread.append(ThreadPoolExecutor(1, thread_name_prefix="delivery"))
        return _in_process_thread[0]
