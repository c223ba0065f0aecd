"""The embedded app's pages (Home, Setup, Settings, Taxes & payments, Products, Stock, History,
one order's), rendered inside the Shopify admin. Each page is a Jinja shell over the JSON APIs:
its scripts fetch /api/* with a fresh App Bridge session token.

Shopify loads the first page with a session token in the URL (`id_token`); a page opened inside
the admin without one (a link followed inside the frame) renders a small bounce page that asks App
Bridge for a token and reloads itself with it, as Shopify describes for server-rendered apps:
https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens/set-up-session-tokens
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, redirect, render_template, request
from shopify.utils.shop_url import sanitize_shop_domain

from blueprints.auth import embedded_app_url, installed_shop
from blueprints.session import InvalidSessionToken, shop_from_session_token
from clients.shopify_protected import missing_approval
from jobs.schedule import next_hourly_sync
from models import utcnow
from services.setup import maps_taxes
from sync.inventory.approval import held_answer

bp = Blueprint("pages", __name__)

# Page name → (path, title in the navigation and title bar), in navigation order.
PAGES: dict[str, tuple[str, str]] = {
    "home": ("/app", "Home"),
    "setup": ("/app/setup", "Setup"),
    "settings": ("/app/settings", "Settings"),
    "taxes": ("/app/taxes", "Taxes & payments"),
    "products": ("/app/products", "Products"),
    "stock": ("/app/stock", "Stock"),
    "history": ("/app/history", "History"),
}
# The APIs the backend may or may not offer yet: a widget is rendered only when its API exists.
OPTIONAL_APIS = {
    "setup": "/api/setup",
    "preview": "/api/sync/sales/preview",
    "stats": "/api/stats/daily",
    "order": "/api/orders/<order_id>",
}
HELD_PAGES = ("home", "stock")
_PARAM = re.compile(r"<[^>]*>")
# The admin's query parameters a link inside the frame keeps (never the one-minute id_token).
KEPT_PARAMS = ("shop", "host", "embedded", "locale")


def available_apis() -> dict[str, bool]:
    """Which optional APIs this app serves (their routes are registered)."""
    served = {_PARAM.sub("<>", rule.rule) for rule in current_app.url_map.iter_rules()}
    return {name: _PARAM.sub("<>", path) in served for name, path in OPTIONAL_APIS.items()}


def page_links() -> dict[str, str]:
    """Each page's URL inside the frame, keeping the admin's shop/host parameters."""
    query = urlencode({k: request.args[k] for k in KEPT_PARAMS if k in request.args})
    return {name: f"{path}?{query}" if query else path for name, (path, _) in PAGES.items()}


def render_page(name: str, title: str | None = None, **context: object):
    """The page for the session token's shop; install on first use; bounce without a token.
    A page outside the navigation (an order) gives its own `title`; `context` goes to it."""
    id_token = request.args.get("id_token")
    if not id_token:
        shop_param = sanitize_shop_domain(request.args.get("shop", ""))
        if not shop_param:
            abort(400, "Open Ledgerbridge from your Shopify admin (Apps → Ledgerbridge).")
        if request.args.get("embedded") != "1":  # opened outside the admin: go inside it
            return redirect(embedded_app_url(shop_param))
        g.shop_domain = shop_param  # lets the shop's admin frame the bounce page
        return render_template("bounce.html", shop_domain=shop_param, api_key=_api_key())
    try:
        domain = shop_from_session_token(f"Bearer {id_token}")
    except InvalidSessionToken:
        abort(401, "The Shopify session token is invalid or expired; reload the app.")
    shop = installed_shop(domain, id_token)
    g.shop_domain = domain
    return render_template(
        "app.html" if name == "home" else f"app_{name}.html",
        page=name,
        pages=PAGES,
        links=page_links(),
        page_titles={n: t for n, (_, t) in PAGES.items()},
        apis=available_apis(),
        title=title or PAGES[name][1],
        shop=shop,
        api_key=_api_key(),
        missing_approval=missing_approval(shop.shopify_customer_data),
        maps_taxes=maps_taxes(shop),
        # the stock update the guard held, shown at the top of Home and Stock (server-rendered:
        # a banner arriving later would push the page down)
        held=held_answer(shop.id) if name in HELD_PAGES else None,
        **context,
    )


def _api_key() -> str:
    return str(current_app.config["SHOPIFY_API_KEY"])


@bp.get("/app")
def app_home():
    """Home: both connections, Sync now with live progress, failures to fix, recent runs."""
    return render_page("home", next_hourly_sync=next_hourly_sync(utcnow()))


@bp.get("/app/setup")
def setup():
    """Guided setup: each step in order, done or missing, with where to fix it."""
    return render_page("setup")


@bp.get("/app/settings")
def settings():
    """The sales and sync settings, rendered from the settings schema."""
    return render_page("settings")


@bp.get("/app/taxes")
def taxes():
    """Shopify taxes to QuickBooks tax codes; payment gateways to deposit accounts."""
    return render_page("taxes")


@bp.get("/app/products")
def products():
    """Products: their settings, the preview, Sync products now, the variants that failed."""
    return render_page("products")


@bp.get("/app/stock")
def stock():
    """Stock: the location and the guard, the preview, the confirmation, Set stock now."""
    return render_page("stock")


@bp.get("/app/history")
def history():
    """Every run with its counts, and every order that could not be posted."""
    return render_page("history", next_hourly_sync=next_hourly_sync(utcnow()))


@bp.get("/app/orders/<int:shopify_order_id>")
def order(shopify_order_id: int):
    """One order: Shopify's beside the QuickBooks documents posted for it, with Retry."""
    return render_page("order", title="Order", shopify_order_id=str(shopify_order_id))
