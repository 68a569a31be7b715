"""Parameters for the NHS.UK pagination component from a Django page, keeping the query string."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def pagination_params(request: HttpRequest, page: Page) -> dict | None:
    if page is None or page.paginator.num_pages <= 1:
        return None
    items: list[dict] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": _href(request, number), "current": number == page.number}
            )
    params: dict = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": _href(request, page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": _href(request, page.next_page_number())}
    return params


def page_with_total(queryset: QuerySet, number, per_page: int) -> Page:
    """One page of `queryset` and its total from a single query (COUNT(*) OVER ()), for lists
    whose whole result must be read anyway to be ranked, such as a text search. A page past the
    end falls back to a plain count and shows the last page, as Paginator.get_page does."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    counted = queryset.annotate(_total=Window(expression=Count("pk")))
    bottom = (number - 1) * per_page
    rows = list(counted[bottom : bottom + per_page])
    total = rows[0]._total if rows else queryset.count()
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = total  # Paginator.count is a cached_property: no second COUNT
    number = min(number, paginator.num_pages)
    if not rows and total:
        bottom = (number - 1) * per_page
        rows = list(counted[bottom : bottom + per_page])
    return paginator._get_page(rows, number, paginator)
