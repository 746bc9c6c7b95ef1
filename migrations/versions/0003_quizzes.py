"""quiz attempts; progress.quiz_passed_at

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('course_slug', sa.String(length=80), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('attempt_number', sa.Integer(), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('option_orders', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('fractions', sa.JSON(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('pass_mark', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts')),
    sa.UniqueConstraint('user_id', 'module_slug', 'attempt_number', name=op.f('uq_quiz_attempts_user_id_module_slug_attempt_number'))
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_module_slug_status', ['module_slug', 'status'], unique=False)

    # Batch mode: SQLite rebuilds the table, PostgreSQL runs ALTER TABLE.
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_passed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.drop_column('quiz_passed_at')

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_module_slug_status')

    op.drop_table('quiz_attempts')
