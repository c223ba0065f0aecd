"""A new merchant, using only the pages, from a fresh install to every demo order posted:
connect QuickBooks (in its own tab), take the setup's steps, preview, sync and watch it finish,
see the orders that failed and why, fix the cause, retry, and see them posted."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import SandboxServer
from tests.browser.pages import app_navigation, open_admin, save_button

SETUP_SCREENSHOTS = (375, 1280)


def go_to(app: Any, page_name: str) -> None:
    """Follow the app's navigation to one of its pages."""
    app_navigation(app).get_by_role("link", name=page_name, exact=True).click()
    expect(app.get_by_role("heading", level=1, name=page_name)).to_be_visible()


def step(app: Any, step_id: str) -> Any:
    """One step of the setup, opened."""
    details = app.locator(f"#step-{step_id}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def save_step(app: Any, step_id: str) -> None:
    """Save the step's settings; the setup shows it done."""
    details = app.locator(f"#step-{step_id}")
    details.get_by_role("button", name="Save", exact=True).click()
    expect(app.locator(f"#step-{step_id} .badge").first).to_have_text("Done")


def connect_quickbooks(page: Any, app: Any) -> None:
    """Connect in a new tab (Intuit's sign-in is never framed); the app notices on return."""
    with page.expect_popup() as opened:
        app.get_by_role("button", name="Connect to QuickBooks").first.click()
    consent = opened.value
    expect(consent.get_by_text(re.compile("is now connected"))).to_be_visible()
    consent.close()
    page.bring_to_front()
    expect(app.get_by_role("button", name="Disconnect")).to_be_visible(timeout=15_000)


def take_setup(app: Any) -> None:
    """Every required step, in order, each saved on its own."""
    go_to(app, "Setup")
    send = step(app, "send")
    send.get_by_label("Send Shopify orders to QuickBooks").check()
    save_step(app, "send")
    items = step(app, "items")
    items.get_by_label("Income account for created products").select_option(
        label="Sales of Product Income"
    )
    save_step(app, "items")
    step(app, "start_date").get_by_label("Sync orders from").fill("2020-01-01")
    save_step(app, "start_date")


def preview(app: Any) -> str:
    """Preview the next sync; the summary it shows."""
    panel = step(app, "preview")
    panel.get_by_role("button", name="Preview the next sync").click()
    summary = app.locator(".preview-summary")
    expect(summary).to_contain_text("would post", timeout=30_000)
    return summary.inner_text()


def map_gateways(app: Any) -> None:
    """Each gateway the preview met, deposited to Undeposited Funds."""
    go_to(app, "Taxes & payments")
    deposits = app.get_by_label("Deposit to")
    expect(deposits.first).to_be_enabled()
    for n in range(deposits.count()):
        expect(deposits.nth(n).locator("option", has_text="Undeposited Funds")).to_have_count(1)
        deposits.nth(n).select_option(label="Undeposited Funds")
    save_button(app).click()
    expect(app.get_by_text("Taxes and payments saved").first).to_be_visible()


def finish_setup(app: Any) -> None:
    """Terms accepted (their text a link away), then hourly sync turned on."""
    go_to(app, "Setup")
    terms = step(app, "terms")
    expect(terms.get_by_role("link", name="Read the terms of use")).to_have_attribute(
        "href", "/terms"
    )
    terms.get_by_label("I accept the terms of use").check()
    save_step(app, "terms")
    step(app, "automation").get_by_label("Sync every hour").check()
    save_step(app, "automation")
    expect(app.locator("#setup-summary")).to_contain_text("Everything required is done")


def sync_and_wait(app: Any, button: str) -> None:
    """Press Sync now (or Retry all) and watch the progress bar come and go."""
    app.get_by_role("button", name=re.compile(button)).first.click()
    expect(app.locator("#run-progress")).to_be_hidden(timeout=60_000)
    expect(app.get_by_role("button", name="Sync now")).to_be_enabled()


def test_a_new_merchant_reaches_all_orders_posted_using_only_the_pages(
    fresh_sandbox: SandboxServer, new_page, artifacts
) -> None:
    page = new_page()
    app = open_admin(page, fresh_sandbox)
    expect(app.get_by_text("Not connected")).to_be_visible()
    connect_quickbooks(page, app)

    take_setup(app)
    found = preview(app)
    failing = app.locator(".preview-group", has_text="Would fail")
    expect(failing).to_contain_text("gift card")
    assert re.search(r"[1-9]\d* would fail", found), found
    for width in SETUP_SCREENSHOTS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts / f"journey-preview-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    map_gateways(app)
    finish_setup(app)

    # the first sync: most orders post, the gift card ones fail and say why
    go_to(app, "Home")
    sync_and_wait(app, "^Sync now$")
    failed = app.locator("#failed-list > li")
    expect(failed.first).to_contain_text("gift card")
    expect(app.locator("#last-sync")).to_contain_text("still need")
    page.screenshot(path=artifacts / "journey-failed-1280.png", full_page=True)

    # the fix: the gift card product, where the failure's link leads
    failed.first.get_by_role("link", name="Open Settings").click()
    gift_card = app.get_by_label("Gift card product")
    expect(gift_card.locator("option", has_text="Gift Card")).to_have_count(1)
    gift_card.select_option(label="Gift Card")
    save_button(app).click()
    expect(app.get_by_text("Settings saved").first).to_be_visible()

    go_to(app, "Home")
    sync_and_wait(app, "^Retry all")
    expect(app.get_by_text("Every order was posted. Nothing needs your attention.")).to_be_visible()
    expect(app.locator("#failed-list > li")).to_have_count(0)
    page.screenshot(path=artifacts / "journey-all-posted-1280.png", full_page=True)
    ledger = fresh_sandbox.api("GET", "/api/ledger/failed")
    assert ledger["failed"] == []
