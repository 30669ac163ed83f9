"""Authentication of the API: a bearer token (``Authorization: Bearer ocop_…``, see
``ocop.accounts.twofactor``) or the browser session. A token acts as its user, so scoping is the user's role
and unit, exactly like the pages. ``ocop/api/urls.py`` mounts every non-public router with ``AUTH``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from .models import User
from .twofactor import token_user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"
    openapi_bearerFormat = "ocop_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token)
        if user is None:
            return None
        request.user = user  # selectors scope by request.user, exactly as for a session
        request.api_token_used = True
        return user


token_auth = TokenAuth()
AUTH = [token_auth, django_auth]
