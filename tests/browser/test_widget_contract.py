"""What every widget promises the page it lives in: axe-clean accessibility, right-to-left
layouts that mirror, untrusted text kept as text, nothing left behind when destroyed, and
no interference from the page's own CSS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.browser.widget_harness import WidgetHarness

pytest_plugins = ["tests.browser.widget_harness"]

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

AXE = Path(__file__).resolve().parents[2] / "widgets" / "node_modules" / "axe-core" / "axe.min.js"
APP = """<main style="padding: 120px 40px">
<h1>Reports</h1>
<p>Numbers of the week.</p>
<p style="text-align: center"><button id="create">Create report</button></p>
</main>"""

TOUR: dict[str, Any] = {
    "name": "Tour",
    "type": "tour",
    "steps": [
        {"id": "a", "target": "#create", "title": "Create", "body": "Start", "placement": "end"},
        {"id": "b", "target": None, "title": "Welcome", "body": "A centred step"},
    ],
}
CHECKLIST: dict[str, Any] = {
    "name": "Start",
    "type": "checklist",
    "items": [
        {"title": "Create a report", "description": "Any kind", "completed_by": None},
        {"title": "Invite", "completed_by": {"event": "Teammate Invited"}},
    ],
}
EXPERIENCES: dict[str, tuple[str, dict[str, Any]]] = {
    "tour": ("flow", TOUR),
    "nps": ("survey", {"name": "NPS", "type": "nps"}),
    "csat": ("survey", {"name": "CSAT", "type": "csat", "dimensions": ["product", "service"]}),
    "ces": ("survey", {"name": "CES", "type": "ces", "scale": {"min": 1, "max": 10}}),
    "checklist": ("flow", CHECKLIST),
    "announcement": (
        "flow",
        {"name": "News", "type": "announcement", "steps": [{"title": "New", "body": "Exports"}]},
    ),
    "banner": (
        "flow",
        {
            "name": "News",
            "type": "announcement",
            "display": "banner",
            "steps": [{"title": "New", "body": "Exports"}],
        },
    ),
    "hotspot": (
        "flow",
        {"name": "Spot", "type": "hotspot", "steps": [{"target": "#create", "title": "Here"}]},
    ),
    "resource_center": (
        "flow",
        {
            "name": "Help",
            "type": "resource_center",
            "links": [{"title": "Guide", "url": "https://docs.example.com/"}],
        },
    ),
}


def show(harness: WidgetHarness, name: str, *, path: str = "/app") -> dict[str, Any]:
    kind, body = EXPERIENCES[name]
    created = harness.define(kind, body)
    harness.pages[path] = APP
    harness.open(path)
    harness.mount(created["id"])
    expect(harness.page.locator("waypost-widget")).to_have_css("visibility", "visible")
    return created


def open_widget(harness: WidgetHarness, name: str) -> None:
    """Bring the widget to the state a person reads: launchers opened, tooltips shown."""
    if name in ("hotspot", "resource_center"):
        harness.page.locator("waypost-widget .wp-beacon, waypost-widget .wp-launch").click()
    expect(harness.dialog()).to_be_visible()


def axe_violations(harness: WidgetHarness) -> list[dict[str, Any]]:
    harness.page.add_script_tag(path=str(AXE))
    result: list[dict[str, Any]] = harness.page.evaluate(
        """axe.run(document, {resultTypes: ["violations"]}).then(result =>
            result.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)})))"""
    )
    return result


@pytest.mark.parametrize("name", sorted(EXPERIENCES))
def test_widget_has_no_axe_violations(harness: WidgetHarness, name: str) -> None:
    show(harness, name)
    open_widget(harness, name)
    assert axe_violations(harness) == []


@pytest.mark.parametrize("locale", ["en", "he"])
def test_resource_center_with_news_and_checklists_has_no_axe_violations(
    harness: WidgetHarness, locale: str
) -> None:
    harness.sdk = False
    harness.locale = locale
    harness.define("flow", EXPERIENCES["announcement"][1])
    harness.define("flow", CHECKLIST)
    show(harness, "resource_center")
    open_widget(harness, "resource_center")
    harness.dialog().locator(".wp-more").click()
    expect(harness.dialog().locator(".wp-news .wp-body")).to_be_visible()
    assert axe_violations(harness) == []


@pytest.mark.parametrize("locale", ["he", "ar"])
def test_tour_popover_mirrors_in_right_to_left_languages(
    harness: WidgetHarness, locale: str, artifacts_dir: Path
) -> None:
    harness.locale = locale
    show(harness, "tour")
    dialog, target = harness.dialog(), harness.page.locator("#create")
    expect(dialog).to_have_attribute("data-side", "left")
    harness.page.screenshot(path=artifacts_dir / f"widget-tour-{locale}.png")
    box, aim = dialog.bounding_box(), target.bounding_box()
    assert box is not None and aim is not None
    assert box["x"] + box["width"] <= aim["x"]


def test_tour_popover_sits_at_the_end_side_in_left_to_right_languages(
    harness: WidgetHarness, artifacts_dir: Path
) -> None:
    show(harness, "tour")
    dialog, target = harness.dialog(), harness.page.locator("#create")
    expect(dialog).to_have_attribute("data-side", "right")
    harness.page.screenshot(path=artifacts_dir / "widget-tour-en.png")
    box, aim = dialog.bounding_box(), target.bounding_box()
    assert box is not None and aim is not None
    assert box["x"] >= aim["x"] + aim["width"]


@pytest.mark.parametrize("locale", ["he", "ar"])
def test_survey_scale_runs_right_to_left_and_arrows_follow_it(
    harness: WidgetHarness, locale: str, artifacts_dir: Path
) -> None:
    harness.locale = locale
    show(harness, "nps")
    dialog = harness.dialog()
    zero = dialog.get_by_role("radio", name="0", exact=True)
    ten = dialog.get_by_role("radio", name="10")
    zero_box, ten_box = zero.bounding_box(), ten.bounding_box()
    assert zero_box is not None and ten_box is not None
    assert zero_box["x"] > ten_box["x"]
    close = dialog.get_by_role("button", name=dict(he="סגירה", ar="إغلاق")[locale]).bounding_box()
    card = dialog.bounding_box()
    assert close is not None and card is not None and close["x"] < card["x"] + card["width"] / 2
    expect(zero).to_be_focused()
    harness.page.keyboard.press("ArrowLeft")
    expect(dialog.get_by_role("radio", name="1", exact=True)).to_be_focused()
    harness.page.screenshot(path=artifacts_dir / f"widget-nps-{locale}.png")


HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_untrusted_text_is_shown_as_text_and_never_runs(harness: WidgetHarness) -> None:
    harness.sdk = False
    tour = harness.define(
        "flow", {"name": "x", "type": "tour", "steps": [{"title": HOSTILE, "body": HOSTILE}]}
    )
    item = {"title": HOSTILE, "description": HOSTILE, "completed_by": None}
    checklist = harness.define("flow", {"name": "x", "type": "checklist", "items": [item]})
    survey = harness.define(
        "survey",
        {"name": "x", "type": "nps", "question": HOSTILE, "follow_up": {"default": HOSTILE}},
    )
    harness.open("/app")
    for experience in (tour, checklist, survey):
        harness.mount(experience["id"])
    harness.page.locator("waypost-widget[data-type=nps]").get_by_role("radio", name="5").click()
    expect(harness.page.get_by_text(HOSTILE)).to_have_count(6)
    harness.page.wait_for_timeout(200)
    created = harness.page.evaluate(
        """[...document.querySelectorAll("waypost-widget")].reduce((n, w) =>
            n + w.shadowRoot.querySelectorAll("img, script").length, 0)"""
    )
    assert (created, harness.page.evaluate("window.pwned")) == (0, None)


def test_untrusted_text_listed_by_the_resource_center_is_shown_as_text(
    harness: WidgetHarness,
) -> None:
    harness.sdk = False
    step = {"title": HOSTILE, "body": HOSTILE, "buttons": {"done": HOSTILE}}
    news = {"name": "x", "type": "announcement", "steps": [step], "cta_url": "/x"}
    harness.define("flow", news)
    item = {"title": HOSTILE, "completed_by": None}
    harness.define("flow", {"name": HOSTILE, "type": "checklist", "items": [item]})
    center = harness.define("flow", {"name": "Help", "type": "resource_center"})
    harness.open("/app")
    harness.mount(center["id"])
    harness.page.locator("waypost-widget .wp-launch").click()
    harness.dialog().locator(".wp-more").click()
    texts = harness.dialog().evaluate(
        """panel => [".wp-more", ".wp-news .wp-body", ".wp-news a", ".wp-lists .wp-name",
            ".wp-lists label"].map(selector => [...panel.querySelector(selector).childNodes]
            .find(node => node.nodeType === Node.TEXT_NODE).textContent)"""
    )
    assert texts == [HOSTILE] * 5
    harness.page.wait_for_timeout(200)
    created = harness.page.evaluate(
        "document.querySelector('waypost-widget').shadowRoot.querySelectorAll('img, script').length"
    )
    assert (created, harness.page.evaluate("window.pwned")) == (0, None)


def listener_counts(harness: WidgetHarness) -> dict[str, int]:
    """Event listeners on window, document and the tour's target, read through the CDP."""
    session = harness.page.context.new_cdp_session(harness.page)
    counts = {}
    for name in ("window", "document", "document.querySelector('#create')"):
        found = session.send("Runtime.evaluate", {"expression": name})
        listeners = session.send(
            "DOMDebugger.getEventListeners", {"objectId": found["result"]["objectId"]}
        )
        counts[name] = len(listeners["listeners"])
    session.detach()
    return counts


def test_destroy_leaves_no_node_listener_or_style_behind(harness: WidgetHarness) -> None:
    harness.sdk = False
    body = {**TOUR, "steps": [{**TOUR["steps"][0], "advance_on": {"type": "click"}}]}
    experiences = [
        harness.define("flow", body),
        harness.define("flow", EXPERIENCES["hotspot"][1]),
        harness.define("flow", CHECKLIST),
        harness.define("survey", EXPERIENCES["nps"][1]),
    ]
    harness.pages["/app"] = APP
    harness.open("/app")
    markup = harness.page.evaluate("document.documentElement.outerHTML")
    listeners = listener_counts(harness)
    for experience in experiences:
        harness.mount(experience["id"])
    expect(harness.page.locator("waypost-widget")).to_have_count(4)
    assert listener_counts(harness) != listeners
    for experience in experiences:
        harness.page.evaluate("id => window.waypostHarness.destroy(id)", experience["id"])
    assert harness.page.evaluate("document.documentElement.outerHTML") == markup
    assert listener_counts(harness) == listeners


RESET = """
*, *::before, *::after { all: unset !important; }
html { font: 40px/3 serif !important; color: red !important; direction: rtl !important; }
div, p, h2, button, main { display: block !important; margin: 30px !important;
  padding: 20px !important; border: 5px solid lime !important; }
"""


def survey_geometry(harness: WidgetHarness) -> list[Any]:
    dialog = harness.dialog()
    expect(dialog.get_by_role("radio", name="7")).to_be_visible()
    title = dialog.get_by_role("heading")
    return [
        dialog.bounding_box(),
        dialog.get_by_role("radio", name="7").bounding_box(),
        title.evaluate("e => getComputedStyle(e).font"),
        title.evaluate("e => getComputedStyle(e).color"),
    ]


def test_host_page_css_resets_do_not_change_the_widgets(harness: WidgetHarness) -> None:
    survey = show(harness, "nps")
    plain = survey_geometry(harness)
    harness.css = RESET
    harness.open("/app")
    assert harness.page.evaluate("getComputedStyle(document.querySelector('main')).margin") == (
        "30px"
    )
    harness.mount(survey["id"])
    assert survey_geometry(harness) == plain


def test_theme_of_the_definition_overrides_the_default_colours(harness: WidgetHarness) -> None:
    tour = harness.define("flow", {**TOUR, "theme": {"accent": "#b00020", "radius": "2px"}})
    harness.pages["/app"] = APP
    harness.open("/app")
    harness.mount(tour["id"])
    next_button = harness.dialog().get_by_role("button", name="Next")
    expect(next_button).to_have_css("background-color", "rgb(176, 0, 32)")
    expect(harness.dialog()).to_have_css("border-radius", "2px")


def test_keyboard_focus_is_shown_with_a_ring(harness: WidgetHarness) -> None:
    show(harness, "announcement")
    harness.page.keyboard.press("Tab")
    close = harness.dialog().get_by_role("button", name="Close")
    expect(close).to_be_focused()
    expect(close).to_have_css("outline-style", "solid")
    expect(close).to_have_css("outline-width", "3px")
