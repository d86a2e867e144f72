"""Flows and surveys: their definitions, as the admin API creates, edits and versions them.

``schemas.load_experience(kind, body)`` validates a body and fills in its defaults;
``service`` stores it (``experiences.definition`` holds everything but ``type``, ``name``,
``status`` and ``priority``; ``experience_versions`` every version, the first included);
``localization.localize(definition, kind, locale)`` resolves a stored definition's texts for
one user, which is what delivery shows.
"""
