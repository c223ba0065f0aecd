"""shop: protected customer data level Shopify approved

Revision ID: d4e2f8a1c6b3
Revises: c3d9e1a7b2f4
Create Date: 2026-11-30 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4e2f8a1c6b3'
down_revision = 'c3d9e1a7b2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shopify_customer_data', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('shopify_customer_data')
