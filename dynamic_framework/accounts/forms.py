"""Forms for signing in, registering, passwords, invitations. Labels, hints and error messages follow GOV.UK
style.

Forms only check what was typed; services check the rest and their ValidationErrors are put back on the
form (see `add_service_errors`), so the page shows every problem next to its field.
"""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.geography.models import ProbationDeliveryUnit, Region
from dynamic_framework.organisations import classification
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


#: The legal form answer for someone who does not know it (the organisation is saved without one).
LEGAL_FORM_NOT_SURE = "not_sure"


class RegisterForm(forms.Form):
    """Register a provider organisation: you, then the organisation. The service checks the rest."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Full name must be 200 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We will send a link to this address to check that it is yours. You will use it to sign in."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": EMAIL_ERRORS["invalid"],
            "max_length": _("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        help_text=NEW_PASSWORD_HINT,
        error_messages={"required": _("Enter a password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    organisation_name = forms.CharField(
        label=_("Your organisation's name"),
        max_length=200,
        help_text=_("Its full name, as on the charity, company or society register if it is registered."),
        error_messages={
            "required": _("Enter your organisation's name"),
            "max_length": _("Organisation name must be 200 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization", "spellcheck": "false"}),
    )
    legal_form = forms.ChoiceField(
        label=_("What kind of organisation is it?"),
        widget=forms.RadioSelect,
        choices=[*classification.LEGAL_FORM_CHOICES, (LEGAL_FORM_NOT_SURE, _("I am not sure"))],
        help_text=_(
            "Your constitution, articles of association or trust deed says what it is. If you are not sure, "
            "choose 'I am not sure': you can add it later."
        ),
        error_messages={
            "required": _("Choose what kind of organisation it is, or 'I am not sure'"),
            "invalid_choice": _("Choose what kind of organisation it is, or 'I am not sure'"),
        },
    )
    identifier = forms.CharField(
        label=_("Charity or company number (optional)"),
        required=False,
        max_length=30,
        help_text=_(
            "For example 1123456 for a charity in England and Wales, SC012345 for a Scottish charity or "
            "01234567 for a company. Leave this empty if it does not have one or you do not know it."
        ),
        error_messages={"max_length": _("The number must be 30 characters or fewer")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "classes": "govuk-input--width-10"}
        ),
    )
    allowed_to_act = forms.BooleanField(
        label=_("I am allowed to act for this organisation"),
        help_text=_(
            "For example, you are a trustee, director, chief executive or manager, or one of them has asked you "
            "to register it."
        ),
        error_messages={"required": _("Confirm that you are allowed to act for your organisation")},
    )

    def legal_form_items(self) -> list[dict]:
        """The legal form radios, with "or" before "I am not sure" (GOV.UK radios with a divider)."""
        from dynamic_framework.core.forms_rendering import field_params

        *legal_forms, not_sure = field_params(self["legal_form"])["items"]
        return [*legal_forms, {"divider": str(_("or"))}, not_sure]

    def allowed_to_act_params(self) -> dict:
        """The confirmation checkbox, with its hint under its label (not above the box)."""
        field = self["allowed_to_act"]
        return {
            "hint": None,
            "items": [
                {
                    "value": "on",
                    "text": str(field.label),
                    "checked": bool(field.value()),
                    "hint": {"text": str(field.help_text)},
                }
            ],
        }

    def service_arguments(self) -> dict:
        """The arguments for services.register_provider, from what cleaned (after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        legal_form = data.get("legal_form") or ""
        return {
            "full_name": data.get("full_name") or "",
            "email": data.get("email") or "",
            "password": data.get("password") or "",
            "organisation_name": data.get("organisation_name") or "",
            "legal_form": "" if legal_form == LEGAL_FORM_NOT_SURE else legal_form,
            "identifier": data.get("identifier") or "",
            "allowed_to_act": bool(data.get("allowed_to_act")),
        }

    def add_registration_problems(self) -> None:
        """When the form itself has errors, add the service's checks of the other fields too (an organisation
        already registered, a password too short...), so the page lists every problem at once."""
        for field, messages in services.registration_problems(**self.service_arguments()).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)


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
