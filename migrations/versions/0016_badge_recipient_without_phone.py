"""Open Badges recipients no longer derive from phone numbers

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 00:05:00.000000

A salted SHA-256 of an Indonesian mobile number can be reversed by trying
every number (~10^10), and the assertion is public. Certificates issued with
a "telephone" recipient become "url" recipients (the certificate's own
verification page, hashed when the assertion is served) and their stored
phone hash is erased. Not reversible: downgrade leaves them as they are.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE certificates SET recipient_type = 'url', recipient_identity = '' WHERE recipient_type = 'telephone'")


def downgrade():
    pass  # the phone hashes are gone on purpose
