"""The public surface is what ``__all__`` says, pinned so that it only changes on purpose."""

from __future__ import annotations

import waypost
import waypost.analytics
import waypost.models


def test_all_is_pinned() -> None:
    assert waypost.__all__ == [
        "APIError",
        "AdminClient",
        "Client",
        "DeliveryError",
        "HttpTransport",
        "MockTransport",
        "Request",
        "Response",
        "Transport",
        "__version__",
        "alias",
        "configure",
        "flush",
        "group",
        "identify",
        "identity_hash",
        "page",
        "screen",
        "shutdown",
        "track",
    ]


def test_the_models_all_is_pinned() -> None:
    assert waypost.models.__all__ == [
        "Account",
        "Eligibility",
        "Event",
        "Experience",
        "ExperienceEligibility",
        "Flow",
        "FlowProgress",
        "Identity",
        "Person",
        "ProgressSummary",
        "Project",
        "Survey",
        "SurveyResponse",
    ]


def test_the_analytics_all_is_pinned() -> None:
    assert waypost.analytics.__all__ == [
        "AccountHealth",
        "Funnel",
        "FunnelStep",
        "Retention",
        "RetentionCohort",
        "SurveyScores",
        "TimeToValue",
        "WebhookEndpoint",
    ]


def test_every_exported_name_exists() -> None:
    assert all(hasattr(waypost, name) for name in waypost.__all__)
    assert all(hasattr(waypost.models, name) for name in waypost.models.__all__)
    assert all(hasattr(waypost.analytics, name) for name in waypost.analytics.__all__)
