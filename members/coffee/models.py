from django.conf import settings
from django.db import models
from django.utils import timezone


class CoffeePairing(models.Model):
    """Two opted-in members introduced for a random coffee in a month. `member_a` has the lower
    user id, so a pair has one spelling. Nobody is in two pairings of the same month: the unique
    constraints cover each column, and `members.coffee.services.coffee_run_month` serialises
    runs and skips anyone already paired on either side."""

    month = models.DateField(help_text="The first day of the month of the pairing.")
    member_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    member_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "member_a"], name="coffee_month_member_a"),
            models.UniqueConstraint(fields=["month", "member_b"], name="coffee_month_member_b"),
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")), name="coffee_a_before_b"
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="coffee_month_day_one"),
        ]
        indexes = [models.Index(fields=["member_b", "month"], name="coffee_member_b_month_idx")]

    def __str__(self) -> str:
        return f"Coffee pairing of {self.month:%B %Y}"
