"""`flask rotate-encryption-key`: re-encrypt the stored tokens under the primary key."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from extensions import db


@click.command("rotate-encryption-key")
def rotate_encryption_key() -> None:
    """Re-encrypt every stored token with the first key of ENCRYPTION_KEY."""
    from models import QuickBooksConnection, Shop

    columns = {
        Shop: ("shopify_access_token", "shopify_refresh_token"),
        QuickBooksConnection: ("access_token", "refresh_token"),
    }
    count = 0
    for model, names in columns.items():
        for row in db.session.scalars(select(model)):
            for name in names:
                if getattr(row, name) is not None:
                    flag_modified(row, name)  # rewritten, so encrypted under the primary key
                    count += 1
    db.session.commit()
    click.echo(f"re-encrypted {count} tokens with the primary key")
