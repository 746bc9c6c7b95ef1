from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="dinas")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        if self.abbreviation == self.name:
            return self.name
        return f"{self.abbreviation} — {self.name}"
