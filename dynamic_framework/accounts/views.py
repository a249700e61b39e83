"""Signing in and out, registering an organisation, confirming your email address, passwords, your account,
API tokens, your team, and invitations."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from dynamic_framework.core.permissions import permission_required

from . import forms, selectors, services
from . import rules as account_rules
from .models import User
from .tokens import EMAIL_CONFIRMATION_VALID_DAYS

# Signing in and out --------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Email and password. `next` is followed only when it is a safe URL on this site (LoginView checks)."""

    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (GET answers 405), so nobody can be signed out by a link or an image."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out"))
        return response


def axes_username(request, credentials=None) -> str:
    """The email address django-axes counts failures for: trimmed and in lower case, as sign-in matches it."""
    if credentials and credentials.get("username") is not None:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username", "")
    return services.normalise_email(str(value or ""))


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """What django-axes shows after too many failed attempts to sign in (429 Too Many Requests)."""
    return render(request, "accounts/locked_out.html", status=429)


# Registering an organisation ----------------------------------------------------------------------------


def _add_errors_with_codes(form, error: ValidationError) -> None:
    """Like forms.add_service_errors, keeping each message's code (the page uses some: see register.html)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@sensitive_post_parameters("password")
@never_cache
def register(request):
    """A new provider organisation and its first administrator. Signed-in people already have an account."""
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account, and you are signed in to it."))
        return redirect("accounts:your-account")
    form = forms.RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.register_provider(**form.service_arguments())
            except ValidationError as error:
                _add_errors_with_codes(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                organisation = user.role_grants.select_related("organisation").get().organisation
                messages.success(
                    request,
                    _("Your account has been created and %(organisation)s is registered.")
                    % {"organisation": organisation.name},
                )
                return redirect("accounts:your-account")
        else:
            form.add_registration_problems()
    return render(
        request,
        "accounts/register.html",
        {
            "form": form,
            "account_exists": form.has_error("email", "account_exists"),
            "organisation_registered": form.has_error("organisation_name", "organisation_registered")
            or form.has_error("identifier", "organisation_registered"),
        },
    )


# Confirming your email address ---------------------------------------------------------------------------


@require_safe
@never_cache
def confirm_email(request, token):
    """The link in the confirmation email. Opening it confirms the address (whoever is signed in, if anyone)."""
    try:
        user, confirmed_now = services.confirm_email(token=token)
    except ValidationError as error:
        reason = "expired" if getattr(error, "code", None) == "expired" else "invalid"
        return render(
            request,
            "accounts/email_confirmation_unavailable.html",
            {"reason": reason, "message": " ".join(error.messages), "valid_days": EMAIL_CONFIRMATION_VALID_DAYS},
            status=410 if reason == "expired" else 404,
        )
    return render(
        request,
        "accounts/email_confirmed.html",
        {"confirmed_user": user, "confirmed_now": confirmed_now, "signed_in_as_them": request.user.pk == user.pk},
    )


@require_POST
@login_required
def send_email_confirmation(request):
    """Send the signed-in person a new link to confirm their email address (at most once a minute)."""
    try:
        services.send_email_confirmation(actor=request.user, user=request.user)
    except ValidationError as error:
        if getattr(error, "code", None) == "confirmed":
            messages.info(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("We have sent a new link to %(email)s. It works for %(days)s days.")
            % {"email": request.user.email, "days": EMAIL_CONFIRMATION_VALID_DAYS},
        )
    return redirect("accounts:your-account")


# Passwords ---------------------------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetNewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.ChangePasswordForm
    success_url = reverse_lazy("accounts:your-account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed"))
        return response


# Your account ------------------------------------------------------------------------------------------------


@login_required
def your_account(request):
    user = request.user
    return render(
        request,
        "accounts/your_account.html",
        {
            "grants": account_rules.active_grants(user),
            "api_token": selectors.api_token_for(user),
            "can_invite": user.has_perm("accounts.invite"),
            "can_view_team": user.has_perm("accounts.view_team"),
            "email_confirmation_valid_days": EMAIL_CONFIRMATION_VALID_DAYS,
        },
    )


@require_POST
@login_required
@never_cache
def create_api_token(request):
    try:
        token = services.create_api_token(actor=request.user, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:your-account")
    # Shown once, on this response only; it is never shown again.
    return render(request, "accounts/api_token_created.html", {"key": token.key})


@require_POST
@login_required
def revoke_api_token(request):
    try:
        services.revoke_api_token(actor=request.user, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your API token has been revoked. Requests that use it will be refused."))
    return redirect("accounts:your-account")


# Your team and invitations ---------------------------------------------------------------------------------


@permission_required("accounts.view_team")
def team(request):
    user = request.user
    organisation_ids = account_rules.administered_organisation_ids(user)
    organisations = list(selectors.organisations_administered_by(organisation_ids))
    grants = list(selectors.team_grants(organisation_ids))
    invitations = list(selectors.pending_invitations(organisation_ids=organisation_ids))
    teams = [
        {
            "organisation": organisation,
            "grants": [
                {"grant": g, "can_remove": user.has_perm("accounts.revoke_role", g)}
                for g in grants
                if g.organisation_id == organisation.pk
            ],
            "invitations": [i for i in invitations if i.organisation_id == organisation.pk],
        }
        for organisation in organisations
    ]
    all_invitations = None
    if account_rules.is_platform_administrator(user):
        all_invitations = Paginator(selectors.pending_invitations(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/team.html",
        {"teams": teams, "all_invitations": all_invitations, "can_invite": user.has_perm("accounts.invite")},
    )


@permission_required("accounts.invite")
def invite(request):
    form = forms.InviteForm(request.POST if request.method == "POST" else None, inviter=request.user)
    if request.method == "GET":
        organisations = form.fields["organisation"].queryset
        chosen = request.GET.get("organisation")
        organisation = organisations.filter(slug=chosen).first() if chosen else None
        if organisation is None and not account_rules.is_platform_administrator(request.user):
            only = list(organisations[:2])
            organisation = only[0] if len(only) == 1 else None
        if organisation:
            form.initial["organisation"] = organisation.pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                actor=request.user,
                email=data["email"],
                role=data["role"],
                organisation=data.get("organisation"),
                regions=data.get("regions") or [],
                delivery_unit=data.get("delivery_unit"),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s as %(role)s")
                % {"email": invitation.email, "role": invitation.role_label},
            )
            return redirect("accounts:team")
    return render(request, "accounts/invite.html", {"form": form})


def _invitation_for_revoking(request, pk):
    return get_object_or_404(selectors.invitation_by_id(pk))


@require_POST
@permission_required("accounts.revoke_invitation", fn=_invitation_for_revoking)
def revoke_invitation(request, pk):
    invitation = _invitation_for_revoking(request, pk)
    try:
        services.revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s has been cancelled") % {"email": invitation.email})
    return redirect("accounts:team")


def _grant_for_removal(request, pk):
    return get_object_or_404(selectors.grant_for_removal(pk))


@permission_required("accounts.revoke_role", fn=_grant_for_removal)
def remove_role(request, pk):
    grant = _grant_for_removal(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.revoke_role(actor=request.user, grant=grant)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is no longer %(role)s") % {"name": grant.user.full_name, "role": grant.description},
            )
            return redirect("accounts:team")
    return render(request, "accounts/remove_role.html", {"grant": grant, "error": error})


# Accepting an invitation -------------------------------------------------------------------------------------


def _unavailable(request, invitation, error: ValidationError):
    code = getattr(error, "code", None) or "invalid"
    return render(
        request,
        "accounts/invitation_unavailable.html",
        {"reason": code, "message": " ".join(error.messages), "invitation": invitation},
        status=404 if code == "invalid" else 410,
    )


@sensitive_post_parameters("password", "password_confirmation")
@never_cache
def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return _unavailable(request, invitation, problem)
    user = request.user
    if user.is_authenticated:
        if services.normalise_email(user.email) != services.normalise_email(invitation.email):
            return render(request, "accounts/invitation_wrong_account.html", {"invitation": invitation}, status=403)
        if request.method == "POST":
            try:
                services.accept_invitation(token=token, user=user)
            except ValidationError as error:
                return _unavailable(request, invitation, error)
            messages.success(request, _("You are now %(role)s") % {"role": invitation.description})
            return redirect("accounts:your-account")
        return render(request, "accounts/invitation_accept_existing.html", {"invitation": invitation})

    if User.objects.filter(email__iexact=invitation.email).exists():
        sign_in_url = reverse("accounts:sign-in") + "?" + urlencode({"next": request.path})
        return render(
            request, "accounts/invitation_sign_in.html", {"invitation": invitation, "sign_in_url": sign_in_url}
        )

    form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.accept_invitation(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict") and getattr(error, "code", None):
                return _unavailable(request, invitation, error)
            forms.add_service_errors(form, error)
        else:
            login(request, accepted.accepted_by, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Your account has been created. You are now %(role)s") % {"role": invitation.description}
            )
            return redirect("accounts:your-account")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
