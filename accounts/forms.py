"""Sign-in and password forms laid out in the GOV.UK style."""

from django import forms
from django.contrib.auth import forms as auth_forms

from cspportal.lib.forms import GovukForm


class SignInForm(GovukForm, auth_forms.AuthenticationForm):
    submit_label = "Sign in"

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }


class PasswordResetForm(GovukForm, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"

    email = forms.EmailField(
        label="Email address",
        help_text="We will email a link to reset your password if this address has an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(GovukForm, auth_forms.SetPasswordForm):
    submit_label = "Set password"
