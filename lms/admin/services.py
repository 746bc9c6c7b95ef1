from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_

from lms.auth.models import User
from lms.extensions import db


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int


def search_users(query: str, role: str | None, page: int, per_page: int) -> Page:
    stmt = db.select(User)
    text = " ".join((query or "").split())
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        digits = "".join(ch for ch in text if ch.isdigit())
        conditions = [User.name.ilike(like), User.email.ilike(like)]
        if len(digits) >= 4:
            conditions.append(User.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(or_(*conditions))
    if role:
        stmt = stmt.where(User.role == role)
    total = db.session.scalar(db.select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(stmt.order_by(User.name, User.id).limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, pages=pages, total=total)
