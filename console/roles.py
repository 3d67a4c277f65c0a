"""Who may do what: checked on the server for every console view and API call."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from console.models import Role, StaffMember


def member(user) -> StaffMember | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return StaffMember.objects.filter(user=user).first()


def requires(role: str):
    """Signed in with a password and a TOTP code, active, and at least ``role``."""

    def decorate(view):
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated or not request.user.is_verified():
                if request.htmx:
                    # A fragment request cannot show the sign-in page: send the whole page there.
                    return HttpResponse(status=204, headers={"HX-Redirect": "/console/sign-in/"})
                response = redirect_to_login(request.get_full_path())
                if getattr(request, "console_signed_out", ""):
                    response["Location"] += "&expired=1"
                return response
            request.staff = member(request.user)
            if request.staff is None or not request.staff.can(role):
                return render(
                    request,
                    "console/forbidden.html",
                    {"needed": Role(role).label, "role": request.staff.get_role_display() if request.staff else ""},
                    status=403,
                )
            return view(request, *args, **kwargs)

        guarded.role = role
        return guarded

    return decorate


viewer = requires(Role.VIEWER)
editor = requires(Role.EDITOR)
publisher = requires(Role.PUBLISHER)
admin = requires(Role.ADMIN)
