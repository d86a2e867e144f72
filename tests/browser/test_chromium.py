from playwright.sync_api import Page


def test_chromium_runs_page_scripts(page: Page) -> None:
    page.set_content("<button onclick=\"this.textContent = 'clicked'\">Go</button>")
    page.click("button")
    assert page.text_content("button") == "clicked"
