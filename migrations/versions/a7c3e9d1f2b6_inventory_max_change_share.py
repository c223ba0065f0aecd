"""Inventory: the guard's largest share of tracked variants changed at once

Revision ID: a7c3e9d1f2b6
Revises: e5f1a2b3c4d5
Create Date: 2026-11-30 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c3e9d1f2b6'
down_revision = 'e5f1a2b3c4d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inventory_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'max_change_share',
                sa.Numeric(precision=5, scale=4),
                server_default=sa.text('0.5'),
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            op.f('ck_inventory_settings_change_share_range'),
            'max_change_share >= 0 AND max_change_share <= 1',
        )


def downgrade():
    with op.batch_alter_table('inventory_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_inventory_settings_change_share_range'), type_='check')
        batch_op.drop_column('max_change_share')
