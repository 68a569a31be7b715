"""`/directory/`: search and filter the entries the viewer may see."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views import View

from members.directory_cache import audience_for, page_get, page_key, page_set
from members.filters import ProfileDirectoryFilter
from members.models import Profile, Topic
from members.selectors import profiles_visible_to, taxonomy_terms
from qcommunity.accounts.models import User
from qcommunity.core.paging import page_with_total

PER_PAGE = 20

# Only what a result card shows: the name (from the user), job, organisation, region, topics.
CARD_FIELDS = (
    "slug",
    "job_title",
    "organisation",
    "region",
    "user_id",
)


def directory_cards(qs: QuerySet[Profile]) -> QuerySet[Profile]:
    """Shape a filtered directory queryset for result cards: one query for the
    page, one for their users and one for their topics, however many entries there are."""
    return qs.only(*CARD_FIELDS).prefetch_related(
        # Names come in a second query for the page's twenty users only: joining first
        # would visit every user before the OFFSET of a deep page.
        Prefetch("user", queryset=User.objects.only("full_name", "preferred_name", "email")),
        Prefetch("topics", queryset=Topic.objects.only("name", "slug"), to_attr="card_topics"),
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
    partial_template = "members/_directory_partial.jinja"
    body_template = "members/_directory_body.jinja"
    results_template = "members/_directory_results.jinja"

    def get(self, request):
        audience = audience_for(request.user)
        key = (
            page_key(audience=audience, query_items=list(request.GET.lists())) if audience else None
        )
        # The version is read before any query, so a page cached under it reflects every change
        # committed before it was read (see members.directory_cache).
        version, page = page_get(key)
        if page is None:
            page = self.render_page(request, version)
            if key:
                page_set(key, version=version, entry=page)
        # Our own templates' output, escaped when it was rendered.
        context = {
            "body_html": mark_safe(page["body"]),
            "results_html": mark_safe(page["results"]),
            "result_count": page["count"],
        }
        partial = is_partial_request(request)
        response = render(
            request, self.partial_template if partial else self.full_template, context
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    def render_page(self, request, version: str) -> dict:
        filterset = ProfileDirectoryFilter(
            request.GET,
            queryset=profiles_visible_to(request.user),
            request=request,
            terms=taxonomy_terms(version),
        )
        cards = directory_cards(filterset.qs)
        if filterset.is_text_search():
            # A ranked search reads every match to sort it, so its count comes in the same query.
            page_obj = page_with_total(cards, request.GET.get("page"), PER_PAGE)
        else:
            # Browsing walks the name index for one page; the count is an index-only scan.
            page_obj = Paginator(cards, PER_PAGE).get_page(request.GET.get("page"))
        context = {"page_obj": page_obj, "profiles": list(page_obj.object_list)}
        results = render_to_string(self.results_template, context, request)
        count = result_count(page_obj.paginator.count)
        body_context = {
            "filter": filterset,
            "results_html": mark_safe(results),
            "result_count": count,
        }
        body = render_to_string(self.body_template, body_context, request)
        return {"body": body, "results": results, "count": count}
