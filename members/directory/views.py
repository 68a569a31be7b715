"""The directory's pages: search (`/directory/`), an entry's page with its photo and "contact
this member" (`/directory/<slug>/`), a member's own entry (`/me/profile/`), and the staff
insights and CSV export (`/staff/directory/`).

The contact relay (first below) is the one way a member writes to another through the site:
the directory's contact form and a coffee partner's message page both relay through
`contact_message_send`, so neither address is shown and the same limits apply."""

import mimetypes
from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import FormView, TemplateView

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.errors import form_add_error
from qcommunity.core.exports import csv_response, export_record
from qcommunity.core.paging import page_with_total
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.core.taxonomy import RoleType

from .cache import audience_for, page_get, page_key, page_set, profile_audience_for, profile_key
from .enums import Visibility
from .export import COLUMNS as EXPORT_COLUMNS
from .export import export_rows
from .filters import DirectoryExportFilter, ProfileDirectoryFilter
from .forms import MAX_LINKS, ContactForm, MessagesForm, PhotoForm, ProfileForm, VisibilityForm
from .insights import bar_chart_svg, directory_insights, published_profiles
from .models import Profile, Topic
from .selectors import (
    contact_reply_route,
    profile_get_for_viewer,
    profile_get_own,
    profile_takes_messages,
    profiles_visible_to,
    taxonomy_terms,
)
from .services import (
    ContactNotSentError,
    contact_message_send,
    profile_confirm_up_to_date,
    profile_create,
    profile_remove_photo,
    profile_set_accepts_messages,
    profile_set_photo,
    profile_set_visibility,
    profile_update,
)


class RelayMessageFormMixin(metaclass=ABCMeta):
    """For a FormView whose `recipient` (a Profile) is set before the form is used; subclasses
    say what happens once the message is on its way (`message_sent`)."""

    form_class = ContactForm
    recipient: Profile

    def get(self, request, *args, **kwargs):
        if not profile_takes_messages(self.recipient):
            return self.not_taking_messages()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not profile_takes_messages(self.recipient):
            return self.not_taking_messages()
        return super().post(request, *args, **kwargs)

    def not_taking_messages(self):
        """One page for every reason a member cannot be messaged, saying none of them."""
        href, text = self.get_back_link()
        return render(
            self.request,
            "members/directory/relay_closed.jinja",
            {"recipient": self.recipient, "back_href": href, "back_text": text},
        )

    @abstractmethod
    def get_back_link(self) -> tuple[str, str]:
        """(href, text) of the way back from the message page."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "recipient_name": self.recipient.display_name}

    def form_valid(self, form):
        try:
            self.sent_message = contact_message_send(
                sender=self.request.user,
                profile=self.recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                allow_reply=form.cleaned_data["allow_reply"],
            )
        except ContactNotSentError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        return self.message_sent()

    def message_sent(self):
        """Where the sender goes next; pages override it to add a message or a place."""
        return redirect(self.get_success_url())


# Search ------------------------------------------------------------------------------------------
#
# `/directory/`: search and filter the entries the viewer may see.


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
    full_template = "members/directory/directory_search.jinja"
    partial_template = "members/directory/_directory_partial.jinja"
    body_template = "members/directory/_directory_body.jinja"
    results_template = "members/directory/_directory_results.jinja"

    def get(self, request):
        audience = audience_for(request.user)
        key = (
            page_key(audience=audience, query_items=list(request.GET.lists())) if audience else None
        )
        # The version is read before any query, so a page cached under it reflects every change
        # committed before it was read (see members.directory.cache).
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


# An entry's page ---------------------------------------------------------------------------------
#
# A directory entry's page, its photo, and "contact this member".


def profile_context(profile, *, viewer_is_member: bool, is_owner: bool) -> dict:
    """What the profile template shows; shared by the page and the owner's previews."""
    return {
        "profile": profile,
        "is_owner": is_owner,
        "role_type_labels": [RoleType(r).label for r in profile.role_types if r in RoleType],
        "show_contact": not is_owner and viewer_is_member,
        "takes_messages": profile_takes_messages(profile),
    }


class ProfileDetailView(TemplateView):
    template_name = "members/directory/profile_detail.jinja"

    def get(self, request, *args, **kwargs):
        audience = profile_audience_for(request.user)
        if audience is None:
            return super().get(request, *args, **kwargs)
        # Visitors, and members who are not staff, share one rendering of each entry
        # (members.directory.cache); the version is read before any query.
        key = profile_key(audience=audience, slug=kwargs["slug"])
        version, entry = page_get(key)
        if entry is None or entry["user_id"] == request.user.pk:
            context = self.get_context_data(**kwargs)
            if context["is_owner"]:
                return self.render_to_response(context)
            html = render_to_string("members/directory/_profile_main.jinja", context, request)
            entry = {"html": html, "title": context["profile"].display_name}
            page_set(key, version=version, entry={**entry, "user_id": context["profile"].user_id})
        # Our own template's output, escaped when it was rendered.
        main_html = mark_safe(entry["html"])
        return self.render_to_response(
            {"view": self, "page_title": entry["title"], "main_html": main_html}
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        profile = profile_get_for_viewer(user=user, slug=self.kwargs["slug"])
        is_member = user.is_authenticated and user.has_role(Role.MEMBER)
        context = super().get_context_data(**kwargs)
        context.update(
            profile_context(
                profile, viewer_is_member=is_member, is_owner=profile.user_id == user.pk
            )
        )
        context["show_contact_sign_in"] = not user.is_authenticated
        return context


class ProfilePhotoView(View):
    """Photos are served only to people who may see the entry, never from a public folder."""

    def get(self, request, slug):
        profile = profile_get_for_viewer(user=request.user, slug=slug)
        if not profile.photo:
            raise Http404
        try:
            handle = default_storage.open(profile.photo.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        content_type = mimetypes.guess_type(profile.photo.name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ContactMixin(PermissionRequired404Mixin):
    permission_required = "members.contact_member"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.MEMBER):
            self.profile = profile_get_for_viewer(user=request.user, slug=kwargs["slug"])
            if self.profile.user_id == request.user.pk:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)


class ContactView(ContactMixin, RelayMessageFormMixin, FormView):
    template_name = "members/directory/profile_contact.jinja"

    @property
    def recipient(self):
        return self.profile

    def get_back_link(self) -> tuple[str, str]:
        return (
            reverse("members:profile-detail", kwargs={"slug": self.profile.slug}),
            f"Back to {self.profile.display_name}",
        )

    def message_sent(self):
        return redirect("members:contact-sent", slug=self.profile.slug)


class ContactSentView(ContactMixin, TemplateView):
    template_name = "members/directory/profile_contact_sent.jinja"

    def get_context_data(self, **kwargs):
        route = contact_reply_route(sender=self.request.user, profile=self.profile)
        return super().get_context_data(reply_route=route, **kwargs)


# A member's own entry ----------------------------------------------------------------------------
#
# A member's own directory entry: edit, photo, who can see it, confirm it, preview it.


class OwnProfileMixin(PermissionRequired404Mixin):
    """Members only; the member's entry is created (hidden) the first time they need it."""

    permission_required = "members.edit_own_profile"

    def get_profile(self):
        user = self.request.user
        profile = profile_get_own(user)
        if profile is None:
            profile_create(user=user, actor=user)
            profile = profile_get_own(user)
        return profile


class ProfileEditView(OwnProfileMixin, TemplateView):
    template_name = "members/directory/me_profile_edit.jinja"

    def get_context_data(self, **kwargs):
        profile = kwargs.pop("profile", None) or self.get_profile()
        context = super().get_context_data(**kwargs)
        context["profile"] = profile
        context["max_links"] = MAX_LINKS
        context.setdefault("form", ProfileForm(initial=ProfileForm.initial_for(profile)))
        context.setdefault("photo_form", PhotoForm())
        context.setdefault(
            "visibility_form", VisibilityForm(initial={"visibility": profile.visibility})
        )
        context.setdefault(
            "messages_form",
            MessagesForm(initial={"accepts_messages": "yes" if profile.accepts_messages else "no"}),
        )
        return context

    def post(self, request):
        profile = self.get_profile()
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(profile=profile, form=form))
        profile_update(
            profile=profile,
            actor=request.user,
            fields=form.profile_fields(),
            topics=form.cleaned_data["topics"],
            approaches=form.cleaned_data["approaches"],
            offers=form.cleaned_data["offers"],
        )
        messages.success(request, "Your directory entry has been saved")
        return redirect("members:profile-edit")


class ProfilePhotoUploadView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            # Only the photo failed: the rest of the entry is untouched and shown as saved.
            return self.render_to_response(self.get_context_data(profile=profile, photo_form=form))
        profile_set_photo(profile=profile, photo=form.cleaned_data["photo"], actor=request.user)
        messages.success(request, "Your photo has been uploaded")
        return redirect("members:profile-edit")


class ProfilePhotoRemoveView(OwnProfileMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        profile_remove_photo(profile=self.get_profile(), actor=request.user)
        messages.success(request, "Your photo has been removed")
        return redirect("members:profile-edit")


VISIBILITY_MESSAGES = {
    Visibility.HIDDEN: "Your entry is now hidden. Only you and Q staff can see it.",
    Visibility.MEMBERS: "Your entry is now published. Q members can see it.",
    Visibility.PUBLIC: "Your entry is now published. Anyone can see it.",
}


class ProfileVisibilityView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = VisibilityForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(profile=profile, visibility_form=form)
            )
        visibility = form.cleaned_data["visibility"]
        profile_set_visibility(profile=profile, visibility=visibility, actor=request.user)
        messages.success(request, VISIBILITY_MESSAGES[Visibility(visibility)])
        return redirect("members:profile-edit")


class ProfileMessagesView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = MessagesForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(profile=profile, messages_form=form)
            )
        accepts = form.cleaned_data["accepts_messages"]
        profile_set_accepts_messages(profile=profile, accepts=accepts, actor=request.user)
        messages.success(
            request,
            "Members can send you messages through the site"
            if accepts
            else "Members cannot send you messages through the site now",
        )
        return redirect("members:profile-edit")


class ProfileConfirmView(OwnProfileMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        profile_confirm_up_to_date(profile=self.get_profile(), actor=request.user)
        messages.success(request, "Thank you. Your entry is marked as up to date.")
        return HttpResponseRedirect(reverse("members:profile-edit"))


class ProfilePreviewView(OwnProfileMixin, TemplateView):
    """The entry as a visitor or a member would see it (never as staff or as its owner)."""

    template_name = "members/directory/me_profile_preview.jinja"

    def get_context_data(self, **kwargs):
        profile = self.get_profile()
        audience = "visitor" if self.request.GET.get("as") == "visitor" else "member"
        allowed = (
            [Visibility.PUBLIC]
            if audience == "visitor"
            else [Visibility.PUBLIC, Visibility.MEMBERS]
        )
        context = super().get_context_data(**kwargs)
        context.update(profile_context(profile, viewer_is_member=False, is_owner=False))
        context["audience"] = audience
        context["can_see"] = profile.visibility in allowed
        return context


# Staff -------------------------------------------------------------------------------------------
#
# Staff views of the directory as a whole: insights and the CSV export.


class DirectoryInsightsView(PermissionRequired404Mixin, TemplateView):
    permission_required = "members.view_directory_insights"
    template_name = "members/directory/insights.jinja"

    def get_context_data(self, **kwargs):
        breakdowns = directory_insights(self.request.user)
        return super().get_context_data(
            breakdowns=[(b, bar_chart_svg(b)) for b in breakdowns],
            total=breakdowns[0].total,
            filter=DirectoryExportFilter(queryset=published_profiles(self.request.user)),
            **kwargs,
        )


class DirectoryExportView(PermissionRequired404Mixin, View):
    permission_required = "members.export_directory"

    def get(self, request):
        filterset = DirectoryExportFilter(request.GET, queryset=published_profiles(request.user))
        rows = filterset.qs
        filters = filterset.applied()
        export_record(
            actor=request.user,
            action="directory.export",
            permission=self.permission_required,
            filters=filters,
            row_count=rows.count(),
        )
        return csv_response(
            filename_parts=["q", "directory"],
            filters=filters,
            header=EXPORT_COLUMNS,
            rows=export_rows(rows),
        )
