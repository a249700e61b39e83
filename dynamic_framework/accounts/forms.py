"""Forms for signing in, passwords, invitations. Labels, hints and error messages follow GOV.UK style.

Forms only check what was typed; services check the rest and their ValidationErrors are put back on the
form (see `add_service_errors`), so the page shows every problem next to its field.
"""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.geography.models import ProbationDeliveryUnit, Region
from dynamic_framework.organisations.models import Organisation

from . import rules as account_rules
from . import services
from .models import PROVIDER_ROLES, STAFF_ROLES, Role
from .tasks import send_password_reset_email

EMAIL_ERRORS = {
    "required": _("Enter your email address"),
    "invalid": _("Enter an email address in the correct format, like name@example.com"),
}


def add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: field errors to their fields, the rest to the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # The same answer whether the address is unknown, the password wrong or the account switched off.
        "invalid_login": _("Enter a correct email address and password"),
        "inactive": _("Enter a correct email address and password"),
    }


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, **kwargs):
        """Queue a reset email for each matching account; say nothing about whether there was one."""
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_email.enqueue(user_id=user.pk)


NEW_PASSWORD_HINT = _("At least 12 characters. Avoid common passwords and anything like your name or email address.")


class _NewPasswordMixin:
    error_messages = {"password_mismatch": _("The passwords do not match")}

    def _label_new_password_fields(self):
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = NEW_PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"

    def clean(self):
        # Password rules are about the new password, so their errors go next to it (Django puts them on the
        # confirmation field).
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)

    def save(self, commit=True):
        return services.set_password(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])


class SetNewPasswordForm(_NewPasswordMixin, auth_forms.SetPasswordForm):
    error_messages = _NewPasswordMixin.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_new_password_fields()

    def save(self, commit=True):
        user = super().save(commit)
        # The locked-out page says to reset your password: doing so lifts the lockout for this account.
        axes_reset(username=services.normalise_email(user.email))
        return user


class ChangePasswordForm(_NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **_NewPasswordMixin.error_messages,
        "password_incorrect": _("Your current password is not correct"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_new_password_fields()
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class AcceptInvitationForm(forms.Form):
    """A new account for an invitee: their name and a password (the email address comes from the invitation)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Full name must be 200 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        help_text=NEW_PASSWORD_HINT,
        error_messages={"required": _("Enter a password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        error_messages={"required": _("Enter the password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password"), cleaned.get("password_confirmation")
        if first and second and first != second:
            self.add_error("password_confirmation", _("The passwords do not match"))
        return cleaned


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class InviteForm(forms.Form):
    """Invite someone to a role. Offers only the roles and organisations the inviter may invite to."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will email them a link to accept. The link works for 7 days."),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": EMAIL_ERRORS["invalid"],
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role"), "invalid_choice": _("Choose a role")},
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose an organisation"),
        error_messages={"invalid_choice": _("Choose an organisation from the list")},
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.order_by("name"),
        required=False,
        help_text=_("Commissioners only: choose at least one region."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose regions from the list"),
            "invalid_pk_value": _("Choose regions from the list"),
        },
    )
    delivery_unit = forms.ModelChoiceField(
        label=_("Probation delivery unit"),
        queryset=ProbationDeliveryUnit.objects.select_related("region").order_by("name"),
        required=False,
        empty_label=_("Choose a probation delivery unit"),
        help_text=_("Probation practitioners only."),
        error_messages={"invalid_choice": _("Choose a probation delivery unit from the list")},
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        roles = account_rules.invitable_roles(inviter)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        if account_rules.is_platform_administrator(inviter):
            organisations = Organisation.objects.order_by("name")
            self.fields["organisation"].help_text = _(
                "Provider administrators and staff: the provider they work for. "
                "Commissioners: their commissioning body, if they have one."
            )
        else:
            organisations = Organisation.objects.filter(
                pk__in=account_rules.administered_organisation_ids(inviter)
            ).order_by("name")
            self.fields["organisation"].help_text = _("The organisation they will work for.")
        self.fields["organisation"].queryset = organisations
        if not any(role in STAFF_ROLES for role in roles):
            del self.fields["regions"]
            del self.fields["delivery_unit"]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        # Fields that do not apply to the chosen role are ignored (the form shows them all, without JavaScript).
        if role and role not in (*PROVIDER_ROLES, Role.COMMISSIONER):
            cleaned["organisation"] = None
        if role != Role.COMMISSIONER:
            cleaned["regions"] = []
        if role != Role.PROBATION_PRACTITIONER:
            cleaned["delivery_unit"] = None
        return cleaned
