"""Client clock-skew correction, as Segment does it.

A device's clock can be hours off. The SDK stamps each message when it happens
(``originalTimestamp``, or ``timestamp`` from older libraries) and the request when it
leaves (``sentAt``); both come from the same wrong clock, so their difference is right.
The event happened that long before the collector received it::

    timestamp = receivedAt - (sentAt - originalTimestamp)

Without ``sentAt`` (a server-side import with explicit timestamps) the client's time is
kept as given. Without any client time, the event happened when it was received.
"""

from __future__ import annotations

from datetime import datetime


def corrected_timestamp(
    original: datetime | None, sent_at: datetime | None, received_at: datetime
) -> datetime:
    if original is None:
        return received_at
    if sent_at is None:
        return original
    return received_at - (sent_at - original)
