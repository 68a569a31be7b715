"""The staff home's registry of what needs attention: providers in order, each seen only with
its permission, lines cached and made stale by the writes that change them (saves and deletes
of the models a provider names, explicit calls after bulk writes, the clock for deadlines); the
staff page with its empty state and a fixed number of queries; the same lines on the home page
where no app's own home provider already shows them."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.core import attention
from qcommunity.core.attention import (
    AttentionLine,
    AttentionProvider,
    attention_changed,
    attention_changed_for,
    attention_for,
    provider_lines,
    register,
    unregister,
)
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from tests.attention import attention_text
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ShowcaseItemFactory, editor_user
from tests.factories.outbox import OutboxEmailFactory
from tests.factories.panels import staff_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


class Counting:
    """A provider's lines function that counts failed outbox rows and how often it ran."""

    def __init__(self, text="%d things wait.", group="Tests", order=100):
        self.calls, self.text, self.group, self.order = 0, text, group, order

    def __call__(self, now):
        self.calls += 1
        n = OutboxEmail.objects.filter(status=EmailStatus.FAILED).count()
        return [AttentionLine(n, self.text % n, self.group, "/there/", "Go", order=self.order)]


@pytest.fixture
def provide():
    """Register test providers for one test, removed afterwards (signals too)."""
    keys = []

    def add(key, lines, **kwargs):
        kwargs.setdefault("permission", "accounts.view_outbox")
        register(AttentionProvider(key=key, lines=lines, **kwargs))
        keys.append(key)
        return attention.PROVIDERS.get(key)

    yield add
    for key in keys:
        unregister(key)


def test_lines_come_in_the_providers_order_grouped_under_their_headings(provide):
    OutboxEmailFactory(status=EmailStatus.FAILED)
    provide("test.b", Counting("B %d", group="Second", order=5), order=1001)
    provide("test.a", Counting("A %d", group="First"), order=1000)
    provide("test.c", Counting("C %d", group="First", order=1), order=1002)
    groups = [
        (group, [line.text for line in lines])
        for group, lines in attention_for(staff_user())
        if group in {"First", "Second"}
    ]
    # Headings in the order their first provider comes; lines by their own order inside one.
    assert groups == [("First", ["C 1", "A 1"]), ("Second", ["B 1"])]


def test_only_people_with_the_providers_permission_see_its_lines(provide):
    OutboxEmailFactory(status=EmailStatus.FAILED)
    provide("test.staff", Counting("Staff %d"), permission="accounts.view_outbox")
    provide("test.editors", Counting("Editors %d"), permission="newsletters.review_showcase")

    def texts(user):
        return {line.text for _, lines in attention_for(user) for line in lines}

    assert {"Staff 1", "Editors 1"} <= texts(staff_user())
    editor = texts(editor_user())
    assert "Editors 1" in editor
    assert "Staff 1" not in editor
    assert not texts(UserFactory(roles=[Role.MEMBER])) & {"Staff 1", "Editors 1"}


def test_lines_with_nothing_to_count_are_left_out(provide):
    provide("test.none", Counting("Nothing %d"))
    assert provider_lines(attention.PROVIDERS.get("test.none")) == []


def test_lines_are_cached_until_a_save_or_delete_of_a_named_model(provide):
    lines = Counting()
    provider = provide("test.cached", lines, models=("outbox.OutboxEmail",))
    row = OutboxEmailFactory(status=EmailStatus.FAILED)
    assert provider_lines(provider)[0].count == 1
    assert provider_lines(provider)[0].count == 1
    assert lines.calls == 1
    OutboxEmailFactory(status=EmailStatus.FAILED)  # a save
    assert provider_lines(provider)[0].count == 2
    row.delete()  # a delete
    assert provider_lines(provider)[0].count == 1
    assert lines.calls == 3


def test_bulk_writes_say_so_by_key_or_by_model(provide):
    lines = Counting()
    provider = provide("test.bulk", lines, models=("outbox.OutboxEmail",))
    row = OutboxEmailFactory(status=EmailStatus.FAILED)
    assert provider_lines(provider)[0].count == 1
    OutboxEmail.objects.filter(pk=row.pk).update(status=EmailStatus.SENT)  # no signal
    assert provider_lines(provider)[0].count == 1  # stale, as expected without a call
    attention_changed("test.bulk")
    assert provider_lines(provider) == []
    OutboxEmail.objects.filter(pk=row.pk).update(status=EmailStatus.FAILED)
    attention_changed_for(OutboxEmail)
    assert provider_lines(provider)[0].count == 1
    attention_changed("no.such.provider")  # unknown keys are ignored


def test_a_change_is_seen_again_after_the_transaction_commits(
    provide, django_capture_on_commit_callbacks
):
    """A request that read the version before a commit may cache what it saw; the second
    replacement of the version, after the commit, makes that entry unreachable."""
    provider = provide("test.commit", Counting(), models=("outbox.OutboxEmail",))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OutboxEmailFactory(status=EmailStatus.FAILED)
        version = provider.cache.version()
        provider_lines(provider)  # cached under the version of the moment
    assert callbacks
    assert provider.cache.version() != version


def test_deadline_lines_expire_within_a_minute_and_others_within_a_day(provide):
    deadline = provide("test.deadline", Counting(), expires=attention.DEADLINE_SECONDS)
    other = provide("test.other", Counting())
    OutboxEmailFactory(status=EmailStatus.FAILED)
    client = cache._cache.get_client()
    for provider, most in ((deadline, 60), (other, 60 * 60 * 24)):
        provider_lines(provider)
        ttl = client.ttl(cache.make_and_validate_key(f"attention:{provider.key}:lines"))
        assert 0 < ttl <= most


def test_a_provider_naming_a_model_that_does_not_exist_is_refused():
    with pytest.raises(LookupError):
        register(AttentionProvider(
            key="test.bad", lines=Counting(), permission="x.y", models=("outbox.Nothing",)
        ))  # fmt: skip
    assert "test.bad" not in attention.PROVIDERS


def test_unregistering_disconnects_the_models(provide):
    lines = Counting()
    provider = provide("test.gone", lines, models=("outbox.OutboxEmail",))
    unregister("test.gone")
    OutboxEmailFactory(status=EmailStatus.FAILED)
    version = provider.cache.version()
    OutboxEmailFactory(status=EmailStatus.FAILED)
    assert provider.cache.version() == version


# The staff page --------------------------------------------------------------------------------


def test_the_staff_page_says_when_nothing_needs_attention(client):
    client.force_login(staff_user())
    text = attention_text(client)
    assert text.startswith("Needs attention Nothing needs attention right now.")


def test_the_staff_page_lists_lines_under_headings_with_links(client):
    OutboxEmailFactory(status=EmailStatus.FAILED)
    client.force_login(staff_user())
    page = client.get(reverse("core-staff:index")).content.decode()
    section = page.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]
    assert "<h3>Email</h3>" in section
    assert (
        '1 email could not be sent. <a href="/staff/outbox/?status=failed">See the failed '
        "emails and send them again</a>" in section
    )
    # The cards follow under their own heading.
    assert page.index("Needs attention") < page.index("Staff pages") < page.index("Audit log")


def test_the_staff_page_costs_the_same_queries_however_many_lines(client):
    client.force_login(staff_user())
    OutboxEmailFactory(status=EmailStatus.FAILED)
    ShowcaseItemFactory()

    def get_page():
        # Every provider computes afresh (the cache would hide the queries).
        for provider in attention.all_providers():
            attention_changed(provider.key)
        assert client.get(reverse("core-staff:index")).status_code == 200

    def add_rows(n):
        OutboxEmailFactory.create_batch(n, status=EmailStatus.FAILED)
        ShowcaseItemFactory.create_batch(n)

    assert_constant_queries(get_page, add_rows, many=5)
    text = attention_text(client)
    assert "6 emails could not be sent." in text
    assert "6 showcase items from members wait for approval." in text


def test_a_cached_staff_page_makes_no_provider_queries(client, django_assert_max_num_queries):
    client.force_login(staff_user())
    OutboxEmailFactory(status=EmailStatus.FAILED)
    client.get(reverse("core-staff:index"))
    cold = len(attention.all_providers())
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("core-staff:index"))
    assert not any("outbox_outboxemail" in q["sql"] for q in captured.captured_queries)
    assert cold > 5


# The home page ---------------------------------------------------------------------------------


def test_the_home_page_lists_the_lines_not_already_shown_there(client):
    OutboxEmailFactory(status=EmailStatus.FAILED)
    ShowcaseItemFactory()
    client.force_login(staff_user())
    page = client.get("/").content.decode()
    assert page.count("could not be sent") == 1
    # The showcase line is the newsletters' own home item; it is not repeated.
    assert page.count("showcase item from members") == 1
    assert "1 showcase item from members waits for your review." in page


def test_the_home_page_shows_no_lines_to_those_without_the_permission(client):
    OutboxEmailFactory(status=EmailStatus.FAILED)
    client.force_login(editor_user())
    page = client.get("/").content.decode()
    assert "could not be sent" not in page
    assert "Waiting for you" in page
