from django.urls import path

from doudi.administration.views import account, manage

app_name = "accounts"
urlpatterns = [
    path("me/password/", account.password_change, name="password_change"),
    path("me/second-factor/", account.second_factor_setup, name="second_factor"),
    path("manage/", manage.index, name="manage"),
    path("manage/users/", manage.user_list, name="user_list"),
    path("manage/users/new/", manage.user_new, name="user_new"),
    path("manage/users/<int:pk>/", manage.user_detail, name="user_detail"),
    path("manage/users/<int:pk>/edit/", manage.user_edit, name="user_edit"),
    path("manage/users/<int:pk>/password/", manage.user_password, name="user_password"),
    path("manage/users/<int:pk>/grants/", manage.grant_add, name="grant_add"),
    path("manage/users/<int:pk>/grants/<int:grant_pk>/remove/", manage.grant_remove, name="grant_remove"),
    path("manage/users/<int:pk>/unlock/", manage.user_unlock, name="user_unlock"),
    path("manage/users/<int:pk>/second-factor/reset/", manage.user_second_factor_reset,
         name="user_second_factor_reset"),
]
