"""run and ledger leases; one queued and one running run per shop and workflow

Revision ID: c3d9e1a7b2f4
Revises: 709f3273a22a
Create Date: 2026-11-30 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d9e1a7b2f4'
down_revision = '709f3273a22a'
branch_labels = None
depends_on = None

STATUSES = ("queued", "running")


def upgrade():
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('sync_ledger', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
    # Runs left waiting or running side by side by earlier releases: keep the newest of each.
    for status in STATUSES:
        op.execute(
            sa.text(
                "UPDATE sync_runs SET status = 'abandoned', "
                "error = 'Closed on upgrade: a newer run of the same shop was waiting.' "
                f"WHERE status = '{status}' AND NOT dry_run AND id NOT IN ("
                f"SELECT max(id) FROM sync_runs WHERE status = '{status}' AND NOT dry_run "
                "GROUP BY shop_id, workflow)"
            )
        )
        op.create_index(
            f'uq_sync_runs_one_{status}',
            'sync_runs',
            ['shop_id', 'workflow'],
            unique=True,
            postgresql_where=sa.text(f"status = '{status}' AND NOT dry_run"),
            sqlite_where=sa.text(f"status = '{status}' AND NOT dry_run"),
        )


def downgrade():
    for status in STATUSES:
        op.drop_index(f'uq_sync_runs_one_{status}', table_name='sync_runs')
    with op.batch_alter_table('sync_ledger', schema=None) as batch_op:
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('claimed_by')
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('owner')
        batch_op.drop_column('params')
