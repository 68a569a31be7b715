"""Cache invalidation only: anything that changes what a public Exchange page shows makes the
cached pages stale (`exchange.rounds.page_cache`). No business rules live here."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .rounds.page_cache import exchange_changed

# Account fields an Exchange page shows (names of teams, commenters, leads).
USER_FIELDS_SHOWN = {"full_name", "preferred_name", "is_active"}


def _changed(sender, **kwargs) -> None:
    exchange_changed()


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or USER_FIELDS_SHOWN & set(update_fields):
        exchange_changed()


def connect() -> None:
    from members.models import Profile, Topic
    from qcommunity.accounts.models import UserRole

    # Every Exchange model, and what pages show of other apps: directory entries (links to
    # them), topics (names), roles (a commenter is a guest or a member).
    models = [*apps.get_app_config("exchange").get_models(), Profile, Topic, UserRole]
    for model in models:
        uid = f"exchange-cache-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    from .proposals.models import Proposal

    m2m_changed.connect(
        _changed, sender=Proposal.topics.through, dispatch_uid="exchange-cache-topics"
    )
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="exchange-cache-user-save")
    post_delete.connect(_changed, sender=user_model, dispatch_uid="exchange-cache-user-delete")
