"""Properties of the pure pieces that read untrusted input: origins, addresses, buckets."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from collector.kit.http.origins import origin_allowed
from collector.privacy.ip import truncate_ip
from collector.ratelimit.gcra import Limit, decide


@given(st.text(max_size=200), st.lists(st.text(max_size=60), max_size=5))
def test_any_origin_header_gets_an_answer(origin: str, patterns: list[str]) -> None:
    assert origin_allowed(origin, patterns) in (True, False)


@given(st.from_regex(r"[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True), st.text(max_size=30))
def test_a_subdomain_wildcard_never_matches_another_domain(domain: str, other: str) -> None:
    assert not origin_allowed(f"https://{other}.x{domain}", [f"https://*.{domain}"])


@given(st.ip_addresses(v=4))
def test_a_truncated_ipv4_address_is_its_own_slash_24(address: ipaddress.IPv4Address) -> None:
    truncated = truncate_ip(str(address))
    assert truncated is not None
    assert ipaddress.ip_address(truncated) in ipaddress.ip_network(f"{address}/24", strict=False)
    assert truncated.endswith(".0")


@given(st.ip_addresses(v=6, network="2000::/3"))
def test_a_truncated_ipv6_address_keeps_48_bits(address: ipaddress.IPv6Address) -> None:
    truncated = truncate_ip(str(address))
    assert truncated is not None
    assert int(ipaddress.ip_address(truncated)) == int(address) >> 80 << 80


@given(st.text(max_size=100))
def test_any_text_truncates_to_an_address_or_nothing(text: str) -> None:
    truncated = truncate_ip(text)
    assert truncated is None or ipaddress.ip_address(truncated)


@given(
    st.floats(min_value=0.5, max_value=1000),
    st.integers(min_value=1, max_value=50),
    st.lists(st.floats(min_value=0, max_value=5), min_size=1, max_size=200),
)
def test_no_window_lets_through_more_than_the_burst_and_the_rate(
    rate: float, burst: int, gaps: list[float]
) -> None:
    limit = Limit(name="write_key", rate=rate, burst=burst)
    tat, now, allowed_at = None, 0.0, []
    for gap in gaps:
        now += gap
        decision = decide(tat, now, limit)
        tat = decision.tat
        if decision.allowed:
            allowed_at.append(now)
    elapsed = allowed_at[-1] - allowed_at[0] if allowed_at else 0.0
    assert len(allowed_at) <= burst + elapsed * rate + 1e-6
