"""What the collector keeps of a client's IP address: nothing unless the project asks.

A project chooses ``none`` (the default: ``context.ip`` is removed before storing),
``truncated`` (the last octet of an IPv4 address, the last 80 bits of an IPv6 one are
zeroed, as Google Analytics and Plausible do: the network, not the machine) or ``full``.
When a project keeps addresses and a message carries none, the request's address is
used, as Segment does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any, Protocol

from collector.kit.project_settings import IpMode

IPV4_KEPT_BITS = 24
IPV6_KEPT_BITS = 48


class HasContext(Protocol):
    context: dict[str, Any] | None


def truncate_ip(address: str) -> str | None:
    """The address's network (/24 or /48) as an address, or None if it is not an address."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    bits = IPV4_KEPT_BITS if parsed.version == 4 else IPV6_KEPT_BITS
    return str(ipaddress.ip_network(f"{parsed}/{bits}", strict=False).network_address)


def kept_ip(mode: IpMode, sent: Any, request_ip: str | None) -> str | None:
    """The address to store for a message that sent ``sent`` as ``context.ip``."""
    address = sent if isinstance(sent, str) and sent.strip() else request_ip
    if mode == "none" or address is None:
        return None
    return address if mode == "full" else truncate_ip(address)


def apply_ip_policy(messages: Iterable[HasContext], mode: IpMode, request_ip: str | None) -> None:
    """Set or remove each message's ``context.ip`` as the project's mode says."""
    for message in messages:
        context = dict(message.context or {})
        address = kept_ip(mode, context.pop("ip", None), request_ip)
        if address is not None:
            context["ip"] = address
        message.context = context or None
