"""What runs beside the routes for as long as a worker does."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine

from collector.ops.metrics import forget_worker
from collector.privacy.retention import periodic_retention
from collector.settings import Settings


@asynccontextmanager
async def worker_lifetime(settings: Settings, engine: Engine) -> AsyncIterator[None]:
    """Periodic retention sweeps; on exit, the worker's live gauges are dropped."""
    try:
        async with periodic_retention(settings, engine):
            yield
    finally:
        forget_worker(os.getpid())
