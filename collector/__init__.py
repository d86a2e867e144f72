"""Waypost collector: Segment-compatible ingestion, onboarding flows, surveys and analytics."""

__version__ = "0.1.0"
