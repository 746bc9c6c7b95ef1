"""practical exercises: submissions, their history, screenshots

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 02:07:54.284424

Screenshots are stored in the database (exercise_images.data) so several app
instances share them. A trainee's attempts at one module are numbered; the
unique (user_id, module_slug, attempt) turns a double tap into one row.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exercise_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exercise_images_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_images')),
    sa.UniqueConstraint('token', name=op.f('uq_exercise_images_token'))
    )
    with op.batch_alter_table('exercise_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_images_user_id'), ['user_id'], unique=False)

    op.create_table('exercise_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=True),
    sa.Column('course_slug', sa.String(length=80), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('exercise_slug', sa.String(length=80), nullable=False),
    sa.Column('exercise_title', sa.String(length=200), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('video_provider', sa.String(length=15), nullable=True),
    sa.Column('video_id', sa.String(length=40), nullable=True),
    sa.Column('video_url', sa.String(length=200), nullable=True),
    sa.Column('text_answer', sa.Text(), nullable=True),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.Column('pass_score', sa.Integer(), nullable=True),
    sa.Column('rubric_scores', sa.JSON(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('gallery_consent_at', sa.DateTime(), nullable=True),
    sa.Column('gallery_name', sa.String(length=60), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['exercise_images.id'], name=op.f('fk_exercise_submissions_image_id_exercise_images'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_exercise_submissions_reviewed_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exercise_submissions_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['waves.id'], name=op.f('fk_exercise_submissions_wave_id_waves'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_submissions')),
    sa.UniqueConstraint('user_id', 'module_slug', 'attempt', name=op.f('uq_exercise_submissions_user_id_module_slug_attempt'))
    )
    with op.batch_alter_table('exercise_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_exercise_submissions_module_slug_status', ['module_slug', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_exercise_submissions_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_exercise_submissions_wave_id_status', ['wave_id', 'status'], unique=False)

    op.create_table('exercise_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=15), nullable=True),
    sa.Column('to_status', sa.String(length=15), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_exercise_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['exercise_submissions.id'], name=op.f('fk_exercise_events_submission_id_exercise_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_events'))
    )
    with op.batch_alter_table('exercise_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_events_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('exercise_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_events_submission_id'))

    op.drop_table('exercise_events')
    with op.batch_alter_table('exercise_submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_exercise_submissions_wave_id_status')
        batch_op.drop_index(batch_op.f('ix_exercise_submissions_user_id'))
        batch_op.drop_index('ix_exercise_submissions_module_slug_status')

    op.drop_table('exercise_submissions')
    with op.batch_alter_table('exercise_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_images_user_id'))

    op.drop_table('exercise_images')
