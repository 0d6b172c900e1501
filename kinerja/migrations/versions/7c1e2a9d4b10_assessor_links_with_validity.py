"""assessor links with validity (valid_from, valid_to): one relation for any date

Revision ID: 7c1e2a9d4b10
Revises: 4d2ef95bdd91
Create Date: 2026-12-06 07:20:00

The table is derived (kinerja.org.relations rewrites it from positions, PLT/PLH and overrides),
so it is recreated empty with its new key; `refresh_assessor_links` (the daily job, any import or
`seed-demo`) fills it again.
"""
from alembic import op
import sqlalchemy as sa


revision = '7c1e2a9d4b10'
down_revision = '4d2ef95bdd91'
branch_labels = None
depends_on = None


def _create(with_validity: bool):
    columns = [sa.Column('employee_id', sa.Integer(), nullable=False)]
    if with_validity:
        columns += [sa.Column('valid_from', sa.Date(), nullable=False), sa.Column('valid_to', sa.Date(), nullable=True)]
    columns += [
        sa.Column('assessor_id', sa.Integer(), nullable=True),
        sa.Column('assessor_superior_id', sa.Integer(), nullable=True),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('problem', sa.String(length=40), nullable=True),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['assessor_id'], ['employee.id'], name=op.f('fk_assessor_link_assessor_id_employee'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['assessor_superior_id'], ['employee.id'], name=op.f('fk_assessor_link_assessor_superior_id_employee'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_assessor_link_employee_id_employee'), ondelete='CASCADE'),
    ]
    if with_validity:
        columns += [
            sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_assessor_link_valid_ordered')),
            sa.PrimaryKeyConstraint('employee_id', 'valid_from', name=op.f('pk_assessor_link')),
        ]
    else:
        columns.append(sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_assessor_link')))
    op.create_table('assessor_link', *columns)
    with op.batch_alter_table('assessor_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessor_link_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessor_link_assessor_superior_id'), ['assessor_superior_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessor_link_problem'), ['problem'], unique=False)


def upgrade():
    op.drop_table('assessor_link')
    _create(with_validity=True)


def downgrade():
    op.drop_table('assessor_link')
    _create(with_validity=False)
