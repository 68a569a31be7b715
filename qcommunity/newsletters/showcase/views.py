"""Showcase pages: members put their work forward and change it; editors review it (the queue,
approve, return with a reason); an item's image, public once approved. Views validate with a
form, act through a service in `services.py`, and turn a `ShowcaseError` into a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import ListView, TemplateView, View

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from . import services
from .filters import ShowcaseQueueFilter
from .forms import ShowcaseForm, ShowcaseReturnForm
from .selectors import (
    showcase_get,
    showcase_get_own,
    showcase_image_item_for_viewer,
    showcase_items_for_user,
    showcase_queue,
)
from .services import ShowcaseError

# Showcase: the editors' queue ---------------------------------------------------------------


class ReviewerMixin(PermissionRequired404Mixin):
    permission_required = "newsletters.review_showcase"


class ShowcaseQueueView(ReviewerMixin, ListView):
    template_name = "newsletters/showcase/showcase_queue.jinja"
    paginate_by = 25
    context_object_name = "items"

    def get_queryset(self):
        data = self.request.GET.copy()
        data.setdefault("status", "submitted")
        self.filterset = ShowcaseQueueFilter(data, queryset=showcase_queue())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ShowcaseReviewView(ReviewerMixin, TemplateView):
    template_name = "newsletters/showcase/showcase_review.jinja"

    def get_context_data(self, **kwargs):
        item = showcase_get(self.kwargs["pk"])
        kwargs.setdefault("form", ShowcaseReturnForm())
        return super().get_context_data(item=item, **kwargs)


class ShowcaseApproveView(ReviewerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        item = showcase_get(pk)
        try:
            services.showcase_approve(actor=request.user, item=item)
        except ShowcaseError as error:
            messages.error(request, str(error))
            return redirect("newsletters-staff:showcase-review", pk)
        messages.success(
            request, f"\u201c{item.title}\u201d is approved. We have emailed the member."
        )
        return redirect("newsletters-staff:showcase-queue")


class ShowcaseReturnView(ShowcaseReviewView):
    http_method_names = ["post"]

    def post(self, request, pk):
        item = showcase_get(pk)
        form = ShowcaseReturnForm(request.POST)
        if form.is_valid():
            try:
                services.showcase_return(
                    actor=request.user, item=item, reason=form.cleaned_data["reason"]
                )
            except ShowcaseError as error:
                messages.error(request, str(error))
                return redirect("newsletters-staff:showcase-review", pk)
            messages.success(
                request, f"\u201c{item.title}\u201d has been returned. We have emailed the member."
            )
            return redirect("newsletters-staff:showcase-queue")
        return self.render_to_response(self.get_context_data(form=form))


# Showcase: members ----------------------------------------------------------------------------


class MemberShowcaseMixin(PermissionRequired404Mixin):
    permission_required = "newsletters.submit_showcase"


class ShowcaseListView(MemberShowcaseMixin, ListView):
    template_name = "newsletters/showcase/showcase_list.jinja"
    paginate_by = 25
    context_object_name = "items"

    def get_queryset(self):
        return showcase_items_for_user(self.request.user)


class ShowcaseSubmitView(MemberShowcaseMixin, TemplateView):
    template_name = "newsletters/showcase/showcase_form.jinja"

    def get_item(self):
        if "pk" not in self.kwargs:
            return None
        item = showcase_get_own(user=self.request.user, pk=self.kwargs["pk"])
        if item.status == "approved":
            raise Http404
        return item

    def get_context_data(self, **kwargs):
        item = self.get_item()
        initial = ShowcaseForm.initial_for(item) if item else {}
        kwargs.setdefault("form", ShowcaseForm(initial=initial, item=item))
        return super().get_context_data(item=item, **kwargs)

    def post(self, request, pk=None):
        item = self.get_item()
        form = ShowcaseForm(request.POST, request.FILES, item=item)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "summary": data["summary"],
                "link": data["link"],
                "image": data["image"],
                "image_alt": data["image_alt"],
            }
            try:
                if item is None:
                    services.showcase_submit(actor=request.user, **fields)
                    messages.success(
                        request, "Thank you. Your work has been sent to our editors for review."
                    )
                else:
                    services.showcase_resubmit(
                        actor=request.user,
                        item=item,
                        remove_image=request.POST.get("remove_image") == "yes",
                        **fields,
                    )
                    messages.success(request, "Your changes have been sent to our editors.")
            except ShowcaseError as error:
                form_add_error(form, error)
            except ValidationError as error:
                form_add_error(form, error)
            else:
                return redirect("newsletters:item-list")
        return self.render_to_response(self.get_context_data(form=form))


class ShowcaseDetailView(MemberShowcaseMixin, TemplateView):
    template_name = "newsletters/showcase/showcase_detail.jinja"

    def get_context_data(self, **kwargs):
        item = showcase_get_own(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(item=item, **kwargs)


class ShowcaseImageView(View):
    """Images of approved items are public (they go out in emails); others only for their owner
    and editors. Served from storage, never from a public folder."""

    def get(self, request, pk):
        item = showcase_image_item_for_viewer(user=request.user, pk=pk)
        try:
            handle = default_storage.open(item.image.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        content_type = "image/png" if item.image.name.endswith(".png") else "image/jpeg"
        response = FileResponse(handle, content_type=content_type)
        approved = item.status == "approved"
        response["Cache-Control"] = "public, max-age=86400" if approved else "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
