"""Products: make the items of products deleted in Shopify inactive, when chosen

Revision ID: b8d4f0a2c7e1
Revises: a7c3e9d1f2b6
Create Date: 2026-11-30 18:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b8d4f0a2c7e1"
down_revision = "a7c3e9d1f2b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "deactivate_deleted_items",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table("product_settings", schema=None) as batch_op:
        batch_op.drop_column("deactivate_deleted_items")
