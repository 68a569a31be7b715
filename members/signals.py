"""Cache invalidation only: anything that changes what the directory shows makes the cached
result pages stale (`members.directory.cache`). No business rules live here."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .directory.cache import directory_changed
from .directory.models import Approach, Offer, Profile, Topic

# Account fields a directory page shows or filters on; a sign-in (last_login) changes none.
USER_FIELDS_SHOWN = {"full_name", "preferred_name", "email", "is_active"}


def _changed(sender, **kwargs) -> None:
    directory_changed()


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or USER_FIELDS_SHOWN & set(update_fields):
        directory_changed()


def connect() -> None:
    for model in (Profile, Topic, Approach, Offer):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"directory-{model.__name__}-delete"
        )
    for field in ("topics", "approaches", "offers"):
        m2m_changed.connect(
            _changed,
            sender=getattr(Profile, field).through,
            dispatch_uid=f"directory-profile-{field}",
        )
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="directory-user-save")
    post_delete.connect(_changed, sender=user_model, dispatch_uid="directory-user-delete")
