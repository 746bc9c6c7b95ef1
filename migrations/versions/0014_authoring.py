"""authoring in the browser: drafts, uploaded images, course sources;
where each module revision came from and its Markdown source

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 03:00:00.000000

Existing revisions were all made by import-courses or import-questions; they
are marked "file" (the next import-courses fills their source_text when the
file is unchanged).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('source_text', sa.Text(), nullable=True))
    op.execute("UPDATE module_revisions SET source = 'file'")

    op.create_table('authoring_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('quiz', sa.JSON(), nullable=True),
    sa.Column('exercise', sa.JSON(), nullable=True),
    sa.Column('base_revision_number', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_authoring_drafts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_authoring_drafts_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authoring_drafts')),
    sa.UniqueConstraint('module_id', name=op.f('uq_authoring_drafts_module_id'))
    )
    op.create_table('authoring_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('mimetype', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_authoring_images_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_authoring_images_uploaded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authoring_images')),
    sa.UniqueConstraint('course_id', 'filename', name=op.f('uq_authoring_images_course_id_filename'))
    )
    op.create_table('authoring_course_sources',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('intro_markdown', sa.Text(), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_authoring_course_sources_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_authoring_course_sources_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('course_id', name=op.f('pk_authoring_course_sources'))
    )


def downgrade():
    op.drop_table('authoring_course_sources')
    op.drop_table('authoring_images')
    op.drop_table('authoring_drafts')
    with op.batch_alter_table('module_revisions', schema=None) as batch_op:
        batch_op.drop_column('source_text')
        batch_op.drop_column('source')
