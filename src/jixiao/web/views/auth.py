"""Login and logout (Django's auth views with our templates), with login throttling.

Enters: the login form (user name, password) and the client address. Leaves: a session, or the
form again with the reason. After ``settings.LOGIN_ATTEMPTS`` failed logins for one user name or
from one address within ``settings.LOGIN_WINDOW_SECONDS``, further attempts are refused (HTTP
429) until the window has passed, whatever the password: the counters live in Django's cache.
Passwords are checked and hashed by Django (``AUTH_PASSWORD_VALIDATORS``, PBKDF2 by default).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str:
    """The address the request came from (REMOTE_ADDR: a forwarded header can be forged)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _keys(user_name: str, address: str) -> tuple[str, str]:
    digest = hashlib.sha256(user_name.strip().casefold().encode("utf-8")).hexdigest()[:32]
    return f"jixiao:login:user:{digest}", f"jixiao:login:addr:{address}"


def _count_failure(key: str) -> None:
    window = int(settings.LOGIN_WINDOW_SECONDS)
    cache.add(key, 0, timeout=window)  # the window starts at the first failure
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)


def throttled(user_name: str, address: str) -> bool:
    """Have too many logins failed for this user name or from this address lately?"""
    limit = int(settings.LOGIN_ATTEMPTS)
    return any(int(cache.get(key, 0)) >= limit for key in _keys(user_name, address))


def throttle_message() -> str:
    minutes = max(1, -(-int(settings.LOGIN_WINDOW_SECONDS) // 60))
    return f"登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试。"


class ThrottledLoginView(LoginView):
    template_name = "jixiao/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user_name = str(request.POST.get("username", ""))
        if throttled(user_name, client_address(request)):
            form = AuthenticationForm(request)
            context = self.get_context_data(form=form, throttled=throttle_message())
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        user_name = str(self.request.POST.get("username", ""))
        for key in _keys(user_name, client_address(self.request)):
            _count_failure(key)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user_key, _ = _keys(str(self.request.POST.get("username", "")), client_address(self.request))
        cache.delete(user_key)
        return super().form_valid(form)


login_view = ThrottledLoginView.as_view()
logout_view = LogoutView.as_view()
