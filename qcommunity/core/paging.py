"""Parameters for the NHS.UK pagination component from a Django page, keeping the query string."""

from django.core.paginator import Page
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
