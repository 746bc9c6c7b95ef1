"""certificates and certificate designs

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 02:10:00.000000

At most one valid certificate per trainee and wave: a partial unique index
on (user_id, wave_id) WHERE revoked_at IS NULL (SQLite and PostgreSQL both
support it); revoked certificates stay beside the valid one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_designs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=80), nullable=False),
    sa.Column('heading_en', sa.String(length=80), nullable=False),
    sa.Column('awarded', sa.String(length=80), nullable=False),
    sa.Column('awarded_en', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('issuer_name', sa.String(length=120), nullable=False),
    sa.Column('issuer_title', sa.String(length=120), nullable=False),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('signature_png', sa.LargeBinary(), nullable=True),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_certificate_designs_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_designs'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('wave_name', sa.String(length=120), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('modules', sa.JSON(), nullable=False),
    sa.Column('design_id', sa.Integer(), nullable=True),
    sa.Column('recipient_type', sa.String(length=10), nullable=False),
    sa.Column('recipient_identity', sa.String(length=80), nullable=False),
    sa.Column('recipient_salt', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['design_id'], ['certificate_designs.id'], name=op.f('fk_certificates_design_id_certificate_designs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_certificates_issued_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name=op.f('fk_certificates_revoked_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['waves.id'], name=op.f('fk_certificates_wave_id_waves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('wave_id', 'sequence', name=op.f('uq_certificates_wave_id_sequence'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_wave_id'), ['wave_id'], unique=False)
        batch_op.create_index(
            'uq_certificates_valid_user_wave', ['user_id', 'wave_id'], unique=True,
            sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_valid_user_wave')
        batch_op.drop_index(batch_op.f('ix_certificates_wave_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_designs')
