from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.db import utcnow
from lms.extensions import db


class WaveCompletion(db.Model):
    """When a trainee first met a wave's completion rule. Kept even if the
    content changes later: a completion is never taken back by an edit."""

    __tablename__ = "wave_completions"
    __table_args__ = (UniqueConstraint("wave_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
