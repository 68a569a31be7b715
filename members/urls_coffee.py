from django.urls import path

from .views import coffee

app_name = "coffee"

urlpatterns = [
    path("", coffee.CoffeeSettingsView.as_view(), name="settings"),
    path("<int:pk>/message/", coffee.CoffeeMessageView.as_view(), name="message"),
]
