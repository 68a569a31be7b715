from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from qcommunity.core.taxonomy import Nation, OrganisationType, Region, RoleType

from .enums import Visibility

REGION_LABELS = dict(Region.choices)


class Term(models.Model):
    """A term in a taxonomy staff edit in the admin."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(Term):
    """An area of health and care members work on, e.g. mental health or patient safety."""


class Approach(Term):
    """An improvement approach, e.g. measurement for improvement or experience-based co-design."""

    class Meta(Term.Meta):
        verbose_name_plural = "approaches"


class Offer(Term):
    """Something a member can offer others, e.g. mentoring or hosting a visit."""


class Profile(models.Model):
    """A member's directory entry. Hidden until the member publishes it; every read that shows
    profiles goes through `members.directory.selectors`, which apply the visibility rules."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    slug = models.SlugField(max_length=120, unique=True)
    pronouns = models.CharField(max_length=40, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    organisation_type = models.CharField(
        max_length=30, choices=OrganisationType.choices, blank=True
    )
    role_types = ArrayField(
        models.CharField(max_length=30, choices=RoleType.choices), default=list, blank=True
    )
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="profiles")
    approaches = models.ManyToManyField(Approach, blank=True, related_name="profiles")
    offers = models.ManyToManyField(Offer, blank=True, related_name="profiles")
    working_on = models.TextField("what I am working on", blank=True, max_length=5000)
    links = models.JSONField(default=list, blank=True)
    photo = models.ImageField(upload_to="profile-photos/", blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN
    )
    coffee_opt_in = models.BooleanField(default=False)
    # The member's choice to take messages through the site's relay (the directory's contact
    # form and random coffee). Others are told only that they are not taking messages.
    # db_default too, so rows written outside the ORM (the benchmark's COPY) take messages.
    accepts_messages = models.BooleanField(
        "takes messages through the site", default=True, db_default=True
    )
    confirmed_at = models.DateTimeField("last confirmed up to date", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Kept in step by members.directory.services.profile_refresh_search: names, organisation,
    # topics, approaches, region, role and organisation type for typo-tolerant trigram matching,
    # and a weighted full-text vector over everything searchable.
    sort_name = models.CharField(max_length=200, blank=True, editable=False)
    search_terms = models.TextField(blank=True, editable=False)
    # Soundex codes of the words in the name, so transposed letters ("Jonh Smiht") still match.
    name_codes = ArrayField(models.CharField(max_length=4), default=list, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="profile_search_vector_idx"),
            GinIndex(
                fields=["search_terms"],
                name="profile_search_terms_trgm",
                opclasses=["gin_trgm_ops"],
            ),
            # Staff's people search matches the organisation with close spellings.
            GinIndex(
                fields=["organisation"],
                name="profile_organisation_trgm",
                opclasses=["gin_trgm_ops"],
            ),
            GinIndex(fields=["role_types"], name="profile_role_types_idx"),
            GinIndex(fields=["name_codes"], name="profile_name_codes_idx"),
            models.Index(fields=["visibility", "region"], name="profile_vis_region_idx"),
            models.Index(fields=["visibility", "nation"], name="profile_vis_nation_idx"),
            models.Index(
                fields=["visibility", "organisation_type"], name="profile_vis_orgtype_idx"
            ),
            models.Index(fields=["visibility", "-published_at"], name="profile_vis_published_idx"),
            # user_id included: counting a visibility needs only this index (deactivated
            # accounts are left out by user id), never the wide table.
            models.Index(
                fields=["visibility", "sort_name"],
                include=["user_id"],
                name="profile_vis_sortname_user_idx",
            ),
            models.Index(fields=["confirmed_at"], name="profile_confirmed_idx"),
        ]

    def __str__(self) -> str:
        return f"Directory entry of {self.user}"

    @property
    def region_label(self) -> str:
        # A dict lookup: get_region_display() rebuilds its choices mapping on every call, which
        # shows up when a page lists twenty entries.
        return REGION_LABELS.get(self.region, "")

    @property
    def display_name(self) -> str:
        return self.user.full_name or self.user.display_name

    @property
    def is_published(self) -> bool:
        return self.visibility != Visibility.HIDDEN


class ContactMessage(models.Model):
    """A message one member sent another through "contact this member". The recipient gets it by
    email through the outbox; neither address is shown. Rows also count towards the sender's
    rate limit."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_messages_sent"
    )
    recipient = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="contact_messages_received"
    )
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=2000)
    allow_reply = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="contact_sender_created_idx")
        ]

    def __str__(self) -> str:
        return f"Message to {self.recipient.display_name} ({self.created_at:%Y-%m-%d})"
