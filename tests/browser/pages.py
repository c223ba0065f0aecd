"""How the browser tests find and open the pages: the embedded app's pages are whatever its
navigation lists (Home, Setup, Settings, … — found at run time, so a page added later is covered
too), plus the sandbox admin framing the app and the app's public pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import SandboxServer

# What a page shows while its content is on the way: "Loading settings…", "Checking the last sync…"
PLACEHOLDER = re.compile(r"^\s*(Loading|Checking)\b[^.]*…\s*$")


def app_frame(page: Any) -> Any:
    """The embedded app inside the sandbox admin (a FrameLocator on the frame titled for it)."""
    return page.get_by_title("Ledgerbridge").content_frame


def app_frame_document(page: Any) -> Any:
    """The same frame as a Frame (to evaluate scripts in)."""
    return page.get_by_title("Ledgerbridge").element_handle().content_frame()


def app_navigation(root: Any) -> Any:
    """The app's own navigation (its links to its pages)."""
    return root.get_by_role("navigation", name="Ledgerbridge")


def open_admin(page: Any, sandbox: SandboxServer) -> Any:
    """Open the sandbox admin; the app's frame (FrameLocator) once its page has loaded."""
    page.goto(sandbox.admin_url)
    app = app_frame(page)
    expect(app.get_by_role("heading").first).to_be_visible()
    return app


def open_settings(page: Any, sandbox: SandboxServer) -> Any:
    """The settings form inside the sandbox admin, as the merchant reaches it: the app opens
    on Home; its navigation's Settings link leads there. Returns the app's frame."""
    app = open_admin(page, sandbox)
    app_navigation(app).get_by_role("link", name="Settings", exact=True).click()
    expect(app.get_by_label("Document number prefix")).to_be_editable()
    return app


def save_button(root: Any) -> Any:
    """The form's Save button (a save bar may offer a second one)."""
    return root.get_by_role("button", name="Save", exact=True).first


@dataclass(frozen=True)
class Target:
    """A page to screenshot and measure: its name, its URL (None = the sandbox admin), and
    whether it is an embedded page (opened with a fresh session token)."""

    name: str
    path: str
    embedded: bool

    def url(self, sandbox: SandboxServer) -> str:
        """Its URL now (an embedded page gets a fresh session token)."""
        return sandbox.app_url(self.path) if self.embedded else f"{sandbox.url}{self.path}"

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" & ", "-").replace(" ", "-")


def all_pages(page: Any, sandbox: SandboxServer) -> list[Target]:
    """Every page: the app's (from its navigation on Home), the sandbox admin, the public
    home page and the page that ends a QuickBooks connection (here one that is refused)."""
    page.goto(sandbox.app_url())
    expect(page.get_by_role("heading").first).to_be_visible()
    links = app_navigation(page).get_by_role("link")
    app_pages = [
        Target(f"app {link.inner_text().strip()}", urlsplit(link.get_attribute("href")).path, True)
        for link in links.all()
    ] or [Target("app Home", "/app", True)]
    return [
        Target("sandbox admin", "/sandbox/", False),
        *app_pages,
        Target("public home", "/", False),
        Target("terms of use", "/terms", False),
        Target("quickbooks result", "/quickbooks/callback?state=unknown&code=x&realmId=1", False),
    ]


def content_ready(page: Any, target: Target) -> None:
    """Wait for the page's real content: its headings, and on a page that loads its content
    from the API, that content (no placeholder left such as "Loading settings…")."""
    root = app_frame(page) if target.name == "sandbox admin" else page
    expect(root.get_by_role("heading").first).to_be_visible()
    expect(root.get_by_text(PLACEHOLDER)).to_have_count(0)
