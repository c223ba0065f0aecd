"""The pages shown outside the Shopify admin: the landing page (what this is and whether it is
up) and the terms of use merchants accept in the setup."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from services.setup import TERMS_VERSION

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Explain the app and link to the health check."""
    return render_template(
        "home.html",
        sandbox=current_app.config["SANDBOX"],
        api_version=current_app.config["SHOPIFY_API_VERSION"],
    )


@bp.get("/terms")
def terms():
    """The terms of use, in the version the setup asks merchants to accept."""
    return render_template("terms.html", version=TERMS_VERSION)
