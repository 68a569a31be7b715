from django.urls import path

from . import views_public

app_name = "newsletters"

urlpatterns = [
    path("", views_public.SubscribeView.as_view(), name="subscribe"),
    path("check-your-email/", views_public.SubscribeSentView.as_view(), name="subscribe-sent"),
    path("confirm/<str:token>/", views_public.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views_public.UnsubscribeView.as_view(), name="unsubscribe"),
]
