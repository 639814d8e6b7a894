from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from govinfo.accounts import views as account_views
from govinfo.accounts.forms import LoginForm
from govinfo.home import views as home_views

admin.site.site_header = _("政务信息化项目管理平台 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("机构、单位、用户与基础数据")

urlpatterns = [
    path("", home_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("catalogue/", include("catalogue.urls")),
    path("projects/", include("projects.urls")),
    path("", include("govinfo.documents.urls")),
    path("", include("govinfo.notices.urls")),
    path("", include("approvals.urls")),
    path("delivery/", include("delivery.urls")),
    path("exports/", include("govinfo.exports.urls")),
    path("audit/", include("govinfo.auditor.urls")),
]
