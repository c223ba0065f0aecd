"""QBO shipping preference on the connection; dating orders after the books' closing date

Revision ID: e5f1a2b3c4d5
Revises: d4e2f8a1c6b3
Create Date: 2026-11-30 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5f1a2b3c4d5'
down_revision = 'd4e2f8a1c6b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quickbooks_connections', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('allow_shipping', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('sales_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'date_after_book_close', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table('sales_settings', schema=None) as batch_op:
        batch_op.drop_column('date_after_book_close')
    with op.batch_alter_table('quickbooks_connections', schema=None) as batch_op:
        batch_op.drop_column('allow_shipping')
