from django.db import models


class Delivery(models.TextChoices):
    """How a member wants one kind of notification."""

    IMMEDIATELY = "immediately", "Straight away, in its own email"
    DAILY = "daily", "In a daily summary email"
    OFF = "off", "Do not email me"
