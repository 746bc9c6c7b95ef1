"""View decorators: who may reach a route.

Every route needs a login unless it is marked `@public`; the login gate in
`session_loader` enforces that for the whole app, and a test walks the URL
map to keep the public list explicit.
"""
from __future__ import annotations

import functools

from flask import abort
from flask_login import current_user


def public(view):
    view.is_public = True
    return view


def roles_required(*roles: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


staff_required = roles_required("admin", "trainer")
admin_required = roles_required("admin")
