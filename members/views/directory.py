"""`/directory/`: search and filter the entries the viewer may see."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View

from members.filters import ProfileDirectoryFilter
from members.models import Profile, Topic
from members.selectors import profiles_visible_to

PER_PAGE = 20

# Only what a result card shows: the name (from the user), job, organisation, region, topics.
CARD_FIELDS = (
    "slug",
    "job_title",
    "organisation",
    "region",
    "user__full_name",
    "user__preferred_name",
    "user__email",
)


def directory_cards(qs: QuerySet[Profile]) -> QuerySet[Profile]:
    """Shape a filtered directory queryset for result cards: one query for the page of entries
    (with their users), one for all their topics, however many entries there are."""
    return (
        qs.select_related("user")
        .only(*CARD_FIELDS)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name", "slug")))
    )


def result_count(total: int) -> str:
    return f"{total:,} {'member' if total == 1 else 'members'} found"


def is_partial_request(request) -> bool:
    """htmx asking for the results only; a history restore needs the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class DirectorySearchView(View):
    full_template = "members/directory_search.jinja"
    partial_template = "members/_directory_results.jinja"

    def get(self, request):
        filterset = ProfileDirectoryFilter(
            request.GET, queryset=profiles_visible_to(request.user), request=request
        )
        paginator = Paginator(directory_cards(filterset.qs), PER_PAGE)
        # One COUNT serves both the result count and the pagination.
        page_obj = paginator.get_page(request.GET.get("page"))
        partial = is_partial_request(request)
        context = {
            "filter": filterset,
            "page_obj": page_obj,
            "profiles": list(page_obj.object_list),
            "total": paginator.count,
            "result_count": result_count(paginator.count),
            "partial": partial,
        }
        response = render(
            request, self.partial_template if partial else self.full_template, context
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
