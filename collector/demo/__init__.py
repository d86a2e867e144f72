"""Demo data, so that a fresh installation opens on a dashboard with something in it."""
