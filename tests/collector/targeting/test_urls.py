"""URL patterns: ``*`` matches any run of characters, everything else literally."""

from __future__ import annotations

import pytest

from collector.targeting.urls import MAX_PATTERN_LENGTH, pattern_error, url_matches

MATCHES = [
    pytest.param("/dashboard", "/dashboard", id="exact-path"),
    pytest.param("/dashboard*", "/dashboard/reports", id="star-matches-the-rest-of-the-path"),
    pytest.param("/app/*", "/app/reports/1", id="star-spans-slashes"),
    pytest.param("/app/*", "/app/", id="star-matches-nothing-after-a-trailing-slash"),
    pytest.param("/app/*", "/app", id="star-pattern-takes-the-bare-folder"),
    pytest.param("/reports/*/edit", "/reports/42/edit", id="star-in-the-middle"),
    pytest.param("/dashboard", "/dashboard/", id="trailing-slash-on-the-page-ignored"),
    pytest.param("/dashboard/", "/dashboard", id="trailing-slash-on-the-pattern-ignored"),
    pytest.param("/", "/", id="root-matches-root"),
    pytest.param("/", "", id="empty-url-is-the-root"),
    pytest.param("/dashboard", "/dashboard?tab=2", id="query-ignored-for-a-path-pattern"),
    pytest.param("/dashboard", "/dashboard#top", id="fragment-ignored-for-a-path-pattern"),
    pytest.param("/a", "/a?next=/b", id="slash-inside-the-query-ignored"),
    pytest.param(
        "/dashboard", "https://app.example.com/dashboard?x=1", id="path-pattern-on-a-full-url"
    ),
    pytest.param("/", "https://app.example.com", id="full-url-without-a-path-is-the-root"),
    pytest.param("/a+b(c)", "/a+b(c)", id="regex-characters-are-literal"),
    pytest.param(
        "https://app.example.com/reports/*",
        "https://app.example.com/reports/7",
        id="full-url-pattern",
    ),
    pytest.param(
        "https://app.example.com/*", "https://app.example.com", id="full-url-bare-host-with-star"
    ),
    pytest.param("https://*.example.com/*", "https://eu.example.com/x", id="star-in-the-host"),
    pytest.param(
        "https://app.example.com/r*",
        "https://app.example.com/r?tab=1",
        id="full-url-pattern-star-takes-the-query",
    ),
]

MISMATCHES = [
    pytest.param("/dashboard", "/dashboards", id="literal-path-is-not-a-prefix"),
    pytest.param("/app/*", "/application", id="star-after-slash-needs-the-slash"),
    pytest.param("/dashboard", "/Dashboard", id="paths-are-case-sensitive"),
    pytest.param("/a.c", "/abc", id="dot-is-not-a-wildcard"),
    pytest.param("/search?q=*", "/search?q=x", id="path-pattern-never-sees-the-query"),
    pytest.param("https://app.example.com/*", "/dashboard", id="full-url-pattern-on-a-bare-path"),
    pytest.param(
        "https://app.example.com/*",
        "https://evil.example.net/app.example.com/",
        id="full-url-pattern-checks-the-host",
    ),
    pytest.param(
        "https://app.example.com/r",
        "https://app.example.com/r?tab=1",
        id="full-url-pattern-keeps-the-query",
    ),
    pytest.param(
        "http://app.example.com/", "https://app.example.com/", id="full-url-pattern-keeps-scheme"
    ),
]


@pytest.mark.parametrize(("pattern", "url"), MATCHES)
def test_url_matches(pattern: str, url: str) -> None:
    assert url_matches(pattern, url)


@pytest.mark.parametrize(("pattern", "url"), MISMATCHES)
def test_url_does_not_match(pattern: str, url: str) -> None:
    assert not url_matches(pattern, url)


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        pytest.param("", "must not be empty", id="empty"),
        pytest.param(
            "/" + "a" * MAX_PATTERN_LENGTH,
            f"must be at most {MAX_PATTERN_LENGTH} characters",
            id="too-long",
        ),
        pytest.param("/app/ reports", "must not contain whitespace", id="space"),
        pytest.param("/app\t", "must not contain whitespace", id="tab"),
        pytest.param("dashboard", "must start with /, http:// or https://", id="relative"),
        pytest.param("*", "must start with /, http:// or https://", id="bare-star"),
        pytest.param("ftp://x.com/", "must start with /, http:// or https://", id="other-scheme"),
        pytest.param("https://", "must name a host after the scheme", id="scheme-without-host"),
        pytest.param("http:///path", "must name a host after the scheme", id="empty-host"),
    ],
)
def test_pattern_error_says_why(pattern: str, error: str) -> None:
    assert pattern_error(pattern) == error


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param("/", id="root"),
        pytest.param("/app/*", id="path-with-star"),
        pytest.param("/" + "a" * (MAX_PATTERN_LENGTH - 1), id="longest"),
        pytest.param("https://app.example.com/*", id="full-url"),
        pytest.param("http://*/x", id="star-host"),
    ],
)
def test_pattern_error_accepts_usable_patterns(pattern: str) -> None:
    assert pattern_error(pattern) is None
