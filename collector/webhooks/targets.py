"""Where webhooks may go: refusing URLs and addresses inside the installation (SSRF).

A receiver's URL is checked when the endpoint is saved, and every address its host resolves
to is checked again at send time, right before connecting to that very address, so a name
that resolved to a public address yesterday and to ``127.0.0.1`` today (DNS rebinding) is
refused too. Refused: loopback, private (RFC 1918, IPv6 unique local), link-local,
carrier-grade NAT, unspecified, multicast and reserved ranges, and the IPv6 forms that
carry such an IPv4 address (mapped, 6to4, Teredo, NAT64). Installations that deliver to
their own network (development, tests) allow private targets; cloud metadata addresses stay
refused even then, since they hand out the host's credentials.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

MAX_URL_LENGTH = 2000
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
LOCAL_NAMES = ("localhost", "metadata.google.internal", "metadata")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(ValueError):
    """A URL or address webhooks may not be sent to; the message says why."""


def embedded_ipv4(address: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IpAddress, *, allow_private: bool) -> str | None:
    """Why webhooks may not go to ``address``, or None when they may."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = refusal(inner, allow_private=allow_private)
        return f"{address} carries {inner}: {reason}" if reason else None
    if address in METADATA_ADDRESSES:
        return f"{address} is a cloud metadata address"
    if allow_private or (address.is_global and not address.is_multicast):
        return None
    return f"{address} is {_range_name(address)}"


def _range_name(address: IpAddress) -> str:
    names = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_unspecified", "the unspecified address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
    )
    for attribute, name in names:
        if getattr(address, attribute):
            return name
    return "not a public address"


def check_url(url: str, *, allow_private: bool) -> SplitResult:
    """The parsed URL when endpoints may use it; :class:`TargetRefused` saying why not."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(f"is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"is not a valid URL ({exc})") from None
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed_schemes:
        raise TargetRefused("must use https")
    if not parts.hostname:
        raise TargetRefused("must name a host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("must not carry credentials; receivers verify the signature")
    if port == 0:
        raise TargetRefused("must not use port 0")
    _check_host(parts.hostname, allow_private=allow_private)
    return parts


def _check_host(host: str, *, allow_private: bool) -> None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        name = host.rstrip(".").lower()
        local = any(name == local or name.endswith("." + local) for local in LOCAL_NAMES)
        if local and not allow_private:
            raise TargetRefused(f"{host} names this machine or its network") from None
        return
    reason = refusal(address, allow_private=allow_private)
    if reason:
        raise TargetRefused(reason)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def safe_addresses(
    host: str, port: int, *, allow_private: bool, resolve: Resolver = system_resolver
) -> list[str]:
    """The addresses to connect to; refused when any address of the host is forbidden.

    One forbidden address refuses them all: a name answering with both a public and an
    internal address would otherwise reach the inside on some tries.
    """
    try:
        found = resolve(host, port)
    except OSError as exc:
        raise TargetRefused(f"{host} does not resolve ({exc})") from None
    addresses = [ipaddress.ip_address(address.split("%")[0]) for address in found]
    for address in addresses:
        reason = refusal(address, allow_private=allow_private)
        if reason:
            raise TargetRefused(f"{host} resolves to {reason}")
    if not addresses:
        raise TargetRefused(f"{host} does not resolve")
    return [str(address) for address in addresses]
