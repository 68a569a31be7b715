import factory

from members.directory.enums import Visibility
from members.directory.models import Approach, Offer, Profile, Topic
from members.directory.services import profile_refresh_search
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from tests.factories.accounts import UserFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    """A member with a directory entry. Pass `visibility=` (hidden by default, as in the product),
    `topics=[...]`, `approaches=[...]`, `offers=[...]`; search columns are refreshed."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
    slug = factory.Sequence(lambda n: f"member-{n}")
    job_title = "Improvement lead"
    organisation = factory.Sequence(lambda n: f"Northshire Health Trust {n}")
    organisation_type = OrganisationType.ACUTE
    role_types = factory.LazyFunction(lambda: [RoleType.MANAGER])
    region = Region.WESSEX
    nation = factory.LazyAttribute(lambda o: Region(o.region).nation if o.region else "")
    visibility = Visibility.HIDDEN

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def approaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.approaches.set(extracted)

    @factory.post_generation
    def offers(self, create, extracted, **kwargs):
        if create and extracted:
            self.offers.set(extracted)

    @factory.post_generation
    def refresh_search(self, create, extracted, **kwargs):
        if create:
            profile_refresh_search(profile_ids=[self.pk])
            self.refresh_from_db()


def topic(name: str) -> Topic:
    return Topic.objects.get(name=name)


def approach(name: str) -> Approach:
    return Approach.objects.get(name=name)


def offer(name: str) -> Offer:
    return Offer.objects.get(name=name)
