from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("register/", views.register, name="register"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm-email"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("account/", views.your_account, name="your-account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/confirm-email/", views.send_email_confirmation, name="send-email-confirmation"),
    path("account/api-token/", views.create_api_token, name="api-token-create"),
    path("account/api-token/revoke/", views.revoke_api_token, name="api-token-revoke"),
    path("account/team/", views.team, name="team"),
    path("account/team/roles/<int:pk>/remove/", views.remove_role, name="remove-role"),
    path("account/invite/", views.invite, name="invite"),
    path("account/invitations/<int:pk>/cancel/", views.revoke_invitation, name="revoke-invitation"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation"),
]
