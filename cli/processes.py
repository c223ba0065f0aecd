"""`flask worker`, `flask scheduler` and `flask sandbox`: the processes Ledgerbridge runs as."""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from werkzeug.serving import run_simple


def _app() -> Flask:
    """The app behind the `current_app` proxy (the processes keep it beyond the request)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _require_real_redis() -> None:
    """Separate processes cannot share the in-process Redis stand-in."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(
            "REDIS_URL is not set. The in-process Redis stand-in lives inside one process: "
            "use `flask sandbox` locally, or set REDIS_URL to a Redis server."
        )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit once the queues are empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker serving the webhooks, sync and maintenance queues."""
    from jobs.runner import run_worker

    _require_real_redis()
    run_worker(_app(), burst=burst)


@click.command("scheduler")
def scheduler() -> None:
    """Run rq-scheduler: registers the recurring jobs and enqueues them when due."""
    from jobs.runner import run_scheduler

    _require_real_redis()
    run_scheduler(_app())


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, envvar="PORT", show_default=True)
@click.option("--shopify-port", type=int, default=7001, show_default=True)
@click.option("--quickbooks-port", type=int, default=7002, show_default=True)
@click.option(
    "--orders",
    type=int,
    default=300,
    envvar="SANDBOX_ORDERS",
    show_default=True,
    help="Demo orders to seed in the emulated store.",
)
def sandbox(host: str, port: int, shopify_port: int, quickbooks_port: int, orders: int) -> None:
    """Start everything locally: both emulators seeded with demo data, a worker, the scheduler
    and the web app, on a migrated database."""
    from emulators import sandbox as emulators
    from jobs.runner import start_in_process

    app = _app()
    if not app.config["SANDBOX"]:
        raise click.ClickException("sandbox mode needs SANDBOX=1 (and never runs in production)")
    upgrade()
    app.config["APP_URL"] = f"http://{host}:{port}"
    app.extensions["sandbox"] = emulators.start(
        app,
        shopify_port=shopify_port,
        quickbooks_port=quickbooks_port,
        orders=orders,
        say=click.echo,
    )
    stop = threading.Event()
    start_in_process(app, stop)
    click.echo(f"Ledgerbridge sandbox: open http://{host}:{port}/sandbox/  (Ctrl-C stops it)")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop.set()
        app.extensions["sandbox"].stop()
