"""The landing page shown outside the Shopify admin: what this is and whether it is up."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Explain the app and link to the health check."""
    return render_template(
        "home.html",
        sandbox=current_app.config["SANDBOX"],
        api_version=current_app.config["SHOPIFY_API_VERSION"],
    )
