"""Staff accounts and API tokens (admin)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from console import roles, setup, staff
from console.forms import StaffForm
from console.models import ApiToken, Role, StaffMember


@require_safe
@roles.admin
def staff_list(request: HttpRequest) -> HttpResponse:
    members = StaffMember.objects.select_related("user").order_by("user__username")
    return render(
        request,
        "console/staff.html",
        {
            "members": members,
            "form": StaffForm(),
            "roles": Role.choices,
            "tokens": ApiToken.objects.select_related("user").order_by("-created_at"),
        },
    )


@require_http_methods(["POST"])
@roles.admin
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST)
    if form.is_valid() and get_user_model().objects.filter(username=form.cleaned_data["username"]).exists():
        form.add_error("username", "That username is taken.")
    if not form.is_valid():
        members = StaffMember.objects.select_related("user").order_by("user__username")
        return render(
            request,
            "console/staff.html",
            {"members": members, "form": form, "roles": Role.choices, "tokens": ApiToken.objects.none()},
            status=400,
        )
    member = staff.invite(request=request, **form.cleaned_data)
    messages.success(
        request,
        f"Added {member.user}. We emailed them a link to choose their own password and set up their "
        f"authenticator app; it works once, within {setup.SET_UP_HOURS} hours.",
    )
    return redirect("console:staff")


@require_POST
@roles.admin
def staff_change(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(StaffMember.objects.select_related("user"), user_id=user_id)
    action = request.POST.get("action")
    if member.user == request.user and action in ("deactivate", "role"):
        messages.error(request, "Ask another admin to change your own account.")
    elif action == "role" and request.POST.get("role") in Role.values:
        staff.set_role(request, member, request.POST["role"])
        messages.success(request, f"{member.user} is now {member.get_role_display()}.")
    elif action in ("deactivate", "activate"):
        staff.set_active(request, member.user, action == "activate")
        messages.success(
            request, f"{member.user} {'can sign in again' if action == 'activate' else 'can no longer sign in'}."
        )
    elif action == "reset_2fa":
        staff.reset_authenticator(request, member.user)
        messages.success(
            request,
            f"{member.user} is signed out and must set up again: we emailed them a new link, which works once, "
            f"within {setup.SET_UP_HOURS} hours.",
        )
    else:
        messages.error(request, "Choose what to change.")
    return redirect("console:staff")


@require_POST
@roles.admin
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    row = get_object_or_404(ApiToken, pk=token_id, revoked_at__isnull=True)
    staff.revoke_api_token(request, row)
    messages.success(request, f"Revoked {row.prefix}….")
    return redirect("console:staff")
