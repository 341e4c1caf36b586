"""Sign in, sign out and password reset, using Django's auth views with GOV.UK forms."""

from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from accounts.forms import PasswordResetForm, SetPasswordForm, SignInForm

sign_in = auth_views.LoginView.as_view(
    template_name="accounts/sign_in.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)
sign_out = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=PasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link: the invited person chooses a password, is signed in and
    lands on the partnership they were invited to. Django's reset view moves the token
    into the session (so it never leaks in a Referer header) and refuses a used or
    expired one."""

    template_name = "accounts/invitation_accept.html"
    form_class = SetPasswordForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_success_url(self) -> str:
        return reverse("partnerships:partnership_detail", kwargs={"slug": self.kwargs["slug"]})


invitation_accept = InvitationAcceptView.as_view()
