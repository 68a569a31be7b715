from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import TWO_FACTOR_ROLES, Role
from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Email is the login; names are how the site addresses them."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What should we call you? For example, Sam."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("can use the Django admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person deleted their account: the row stays as a tombstone that other
    # records point at, with no personal data left on it (qcommunity.privacy.services).
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # Lists leave out deactivated accounts with an anti-join against this small index, so
        # counting tens of thousands of directory entries needs no join to every user row.
        indexes = [
            models.Index(
                fields=["id"], name="user_inactive_idx", condition=models.Q(is_active=False)
            ),
            # Staff's people search (qcommunity.people.selectors): names with typos, addresses
            # by any part.
            GinIndex(OpClass("full_name", name="gin_trgm_ops"), name="user_full_name_trgm_idx"),
            GinIndex(
                OpClass("preferred_name", name="gin_trgm_ops"),
                name="user_preferred_name_trgm_idx",
            ),
            GinIndex(OpClass(Lower("email"), name="gin_trgm_ops"), name="user_email_trgm_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email.split("@", 1)[0]

    def get_full_name(self) -> str:
        return self.full_name or self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def role_names(self) -> frozenset[str]:
        """The user's site-wide roles, read once per request and kept on the instance."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            if self.is_superuser:
                cached |= {Role.STAFF_ADMIN}
            self._role_names = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def needs_two_factor(self) -> bool:
        # The Django admin shows personal data too, whatever the person's site roles.
        return self.is_staff or bool(self.role_names & TWO_FACTOR_ROLES)


class UserRole(models.Model):
    """A site-wide role held by a user. Granted and removed through services, with an audit row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why staff gave it (on the person's account page and in the audit row); empty for roles
    # given by the site itself (joining's release, sitting on a panel).
    reason = models.TextField(blank=True, max_length=1000, db_default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class KnownSignIn(models.Model):
    """A browser and network an account has signed in from, so that a sign-in from a new one
    can be told to the account's owner (qcommunity.accounts.sign_ins). The browser is kept as
    its family ("Firefox on Windows"), not the full user agent, so an update is not "new"; the
    network as the IP address's /24 (IPv4) or /64 (IPv6), not the address itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_sign_ins"
    )
    browser = models.CharField(max_length=100)
    network = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "browser", "network"], name="known_sign_in_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.browser} from {self.network}"
