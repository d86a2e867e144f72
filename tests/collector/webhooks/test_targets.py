"""SSRF: endpoint URLs, and the addresses their hosts resolve to at send time, that reach
inside the installation's network are refused; each range is tested."""

from __future__ import annotations

import ipaddress

import pytest

from collector.webhooks.targets import (
    Resolver,
    TargetRefused,
    check_url,
    embedded_ipv4,
    refusal,
    safe_addresses,
    system_resolver,
)

INTERNAL = {
    "127.0.0.1": "loopback",
    "127.255.0.7": "loopback",
    "::1": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "192.168.1.1": "private",
    "fd12:3456::1": "private",
    "169.254.1.1": "link-local",
    "fe80::1": "link-local",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "ff02::1": "multicast",
    "100.64.0.1": "not a public address",
    "198.18.0.1": "private",
    "240.0.0.1": "private",
}
METADATA = ["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"]
CARRIERS = {
    "::ffff:127.0.0.1": "127.0.0.1",
    "::ffff:10.0.0.1": "10.0.0.1",
    "2002:a9fe:a9fe::1": "169.254.169.254",
    "64:ff9b::7f00:1": "127.0.0.1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe": "127.0.0.1",
}


def fixed(*addresses: str) -> Resolver:
    """A resolver that answers ``addresses`` for every name, as a rebinding DNS would."""
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(("address", "kind"), INTERNAL.items())
def test_internal_ranges_are_refused_naming_the_range(address: str, kind: str) -> None:
    reason = refusal(ipaddress.ip_address(address), allow_private=False)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", METADATA)
def test_cloud_metadata_addresses_are_refused_even_where_private_targets_are_allowed(
    address: str,
) -> None:
    reason = refusal(ipaddress.ip_address(address), allow_private=True)
    assert reason == f"{address} is a cloud metadata address"


@pytest.mark.parametrize(("address", "inner"), CARRIERS.items())
def test_ipv6_forms_carrying_an_internal_ipv4_are_refused(address: str, inner: str) -> None:
    carrier = ipaddress.ip_address(address)
    assert embedded_ipv4(carrier) == ipaddress.ip_address(inner)
    reason = refusal(carrier, allow_private=False)
    assert reason is not None and f"carries {inner}" in reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=False) is None


def test_an_ipv6_address_carrying_a_public_ipv4_is_allowed() -> None:
    assert refusal(ipaddress.ip_address("::ffff:93.184.215.14"), allow_private=False) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "::ffff:192.168.0.1"])
def test_private_targets_are_allowed_when_the_installation_allows_them(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=True) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://crm.example.com/hooks", "must use https"),
        ("ftp://crm.example.com/hooks", "must use https"),
        ("https:///hooks", "must name a host"),
        ("https://user:pw@crm.example.com/hooks", "must not carry credentials"),
        ("https://crm.example.com:0/hooks", "must not use port 0"),
        ("https://crm.example.com:99999/hooks", "is not a valid URL"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://[::1]/hooks", "loopback"),
        ("https://10.0.0.8/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "metadata"),
        ("https://[::ffff:169.254.169.254]/", "metadata"),
        ("https://localhost/hooks", "names this machine"),
        ("https://api.localhost./hooks", "names this machine"),
        ("https://metadata.google.internal/", "names this machine"),
        ("https://" + "a" * 2000 + ".com/", "longer than 2000"),
    ],
)
def test_endpoint_urls_reaching_inside_are_refused(url: str, reason: str) -> None:
    with pytest.raises(TargetRefused, match=reason):
        check_url(url, allow_private=False)


def test_a_public_https_url_is_accepted() -> None:
    assert check_url("https://crm.example.com/hooks?x=1", allow_private=False).hostname == (
        "crm.example.com"
    )


def test_a_public_address_literal_is_accepted() -> None:
    assert check_url("https://93.184.215.14/hooks", allow_private=False).port is None


def test_development_installations_accept_http_on_loopback() -> None:
    assert check_url("http://localhost:8080/hooks", allow_private=True).port == 8080


def test_metadata_urls_stay_refused_in_development() -> None:
    with pytest.raises(TargetRefused, match="metadata"):
        check_url("http://169.254.169.254/", allow_private=True)


def test_a_name_resolving_to_public_addresses_is_sent_to() -> None:
    found = safe_addresses(
        "crm.example.com", 443, allow_private=False, resolve=fixed("93.184.215.14")
    )
    assert found == ["93.184.215.14"]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1"])
def test_a_name_rebound_to_an_internal_address_is_refused_at_send_time(address: str) -> None:
    with pytest.raises(TargetRefused, match=r"crm\.example\.com resolves to"):
        safe_addresses("crm.example.com", 443, allow_private=False, resolve=fixed(address))


def test_one_internal_address_among_public_ones_refuses_the_name() -> None:
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.5"):
        safe_addresses(
            "crm.example.com", 443, allow_private=False, resolve=fixed("93.184.215.14", "10.0.0.5")
        )


def test_zone_ids_of_link_local_answers_are_understood() -> None:
    with pytest.raises(TargetRefused, match="link-local"):
        safe_addresses("printer", 443, allow_private=False, resolve=fixed("fe80::1%eth0"))


def test_a_name_that_does_not_resolve_is_refused() -> None:
    def failing(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(TargetRefused, match="does not resolve"):
        safe_addresses("nowhere.invalid", 443, allow_private=False, resolve=failing)


def test_a_name_with_no_address_is_refused() -> None:
    with pytest.raises(TargetRefused, match="does not resolve"):
        safe_addresses("empty.example", 443, allow_private=False, resolve=fixed())


def test_the_system_resolver_answers_numeric_hosts() -> None:
    assert "127.0.0.1" in system_resolver("127.0.0.1", 80)
