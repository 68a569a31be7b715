"""Which rounds a person may see (staff see drafts), and a round as staff edit it."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Round


def is_staff_viewer(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("exchange.manage_rounds"))


def rounds_visible_to(user) -> QuerySet[Round]:
    qs = Round.objects.all()
    if not is_staff_viewer(user):
        qs = qs.filter(published_at__isnull=False)
    return qs


def round_get_for_staff(pk: int) -> Round:
    round_ = Round.objects.prefetch_related("themes", "sections").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_
