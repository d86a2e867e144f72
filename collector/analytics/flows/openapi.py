"""The flow analytics routes in ``/openapi.json``."""

from __future__ import annotations

from apispec import APISpec

from collector.analytics.flows import schemas
from collector.analytics.surveys.openapi import analysis_operation


def add_onboarding_paths(spec: APISpec) -> None:
    spec.components.schema("FlowAnalytics", schema=schemas.FlowAnalyticsSchema)
    spec.components.schema("StuckPage", schema=schemas.StuckPageSchema)
    spec.path(
        path="/api/v1/flows/{id}/analytics",
        operations=analysis_operation(
            "A tour's starts, steps, completions and dismissals, or a checklist's items",
            "FlowAnalytics",
            schemas.FlowAnalyticsQuerySchema,
            with_id=True,
        ),
    )
    spec.path(
        path="/api/v1/flows/{id}/stuck",
        operations=analysis_operation(
            "Persons who started a checklist and made no progress for some days",
            "StuckPage",
            schemas.StuckQuerySchema,
            with_id=True,
        ),
    )
