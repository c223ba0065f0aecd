"""The embedded app in a real browser (Debian's Chromium), as the merchant uses it inside the
(sandbox) admin: rendering, a setting saved and read back, an error shown, the layouts at
375/768/1280 px (screenshots kept as artifacts) and Web Vitals against our bars."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.pages import (
    all_pages,
    app_frame,
    app_frame_document,
    content_ready,
    open_admin,
    open_settings,
    save_button,
)
from tests.browser.vitals import measure, observe

WIDTHS = (375, 768, 1280)
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_home_renders_inside_the_sandbox_admin_with_the_shops_name(connected, new_page) -> None:
    page = new_page()
    app = open_admin(page, connected)
    expect(page.get_by_role("heading", level=1)).to_contain_text(connected.shop_domain)
    expect(app.get_by_text(connected.shop_domain).first).to_be_visible()
    expect(app.get_by_role("button", name="Disconnect")).to_be_visible()  # QuickBooks connected


def test_a_setting_round_trips_through_the_page(connected, new_page) -> None:
    page = new_page()
    app = open_settings(page, connected)
    value = f"T{uuid.uuid4().hex[:4].upper()}-"
    app.get_by_label("Document number prefix").fill(value)
    save_button(app).click()
    expect(app.get_by_text("Settings saved").first).to_be_visible()

    app = open_settings(page, connected)  # the admin opened again, as after a reload
    expect(app.get_by_label("Document number prefix")).to_have_value(value)


def test_an_invalid_setting_shows_its_error_and_is_not_saved(connected, new_page) -> None:
    page = new_page()
    app = open_settings(page, connected)
    hourly = app.get_by_label("Sync every hour")
    expect(hourly).not_to_be_checked()
    hourly.check()  # without the terms of use accepted: refused
    save_button(app).click()
    # the field is marked invalid and its error, naming it, says why
    expect(hourly).to_have_attribute("aria-invalid", "true")
    expect(app.get_by_text(re.compile(r"Sync every hour \S.*terms of use"))).to_be_visible()
    expect(app.get_by_text("Settings saved")).to_have_count(0)

    app = open_settings(page, connected)
    expect(app.get_by_label("Sync every hour")).not_to_be_checked()


def test_sync_now_runs_on_the_worker_and_the_page_shows_the_result(connected, new_page) -> None:
    runs_before = len(connected.api("GET", "/api/runs")["runs"])
    page = new_page()
    app = open_admin(page, connected)
    app.get_by_role("button", name="Sync now").click()
    # the sandbox's in-process worker runs it: a new run, finished
    for _ in range(300):
        runs = connected.api("GET", "/api/runs")["runs"]
        if len(runs) > runs_before and runs[0]["status"] not in ("queued", "running"):
            break
        page.wait_for_timeout(100)
    assert len(runs) == runs_before + 1 and runs[0]["status"] not in ("queued", "running"), runs
    # and the page reports its counts
    counts = runs[0]["counts"]
    report = rf"Last sync .*{counts['created']} posted.*{counts['failed']} failed"
    expect(app.get_by_text(re.compile(report))).to_be_visible()


def test_every_page_at_375_768_1280px_without_overflow_at_375(
    connected, new_page, artifacts
) -> None:
    targets = all_pages(new_page(), connected)
    overflowing = []
    for width in WIDTHS:
        page = new_page(width=width, height=900)
        for target in targets:
            page.goto(target.url(connected))
            content_ready(page, target)
            page.screenshot(path=str(artifacts / f"{target.slug}-{width}.png"), full_page=True)
            if width == 375:
                scroll, inner = page.evaluate(OVERFLOW)
                if scroll > inner:
                    overflowing.append(f"{target.name}: {scroll} px wide in {inner}")
                if target.name == "sandbox admin":  # and the app in its (narrower) frame
                    scroll, inner = app_frame_document(page).evaluate(OVERFLOW)
                    if scroll > inner:
                        overflowing.append(f"app in the admin's frame: {scroll} px in {inner}")
        page.context.close()
    assert not overflowing, overflowing


def test_web_vitals_of_every_page(connected, new_page, artifacts) -> None:
    targets = all_pages(new_page(), connected)
    results = []
    for target in targets:
        page = new_page(width=1280, height=900)
        observe(page.context)
        page.goto(target.url(connected))
        content_ready(page, target)
        results.append(measure(target.name, page, page.get_by_role("heading").first))
        if target.name == "sandbox admin":  # the app it frames: the admin's real content
            app = app_frame(page)
            results.append(
                measure(
                    "app in the sandbox admin",
                    app_frame_document(page),
                    app.get_by_role("heading").first,
                )
            )
        page.context.close()
    (artifacts / "vitals.txt").write_text("".join(v.line() + "\n" for v in results))
    missed = {v.page: list(v.misses().values()) for v in results if v.misses()}
    assert not missed, missed
