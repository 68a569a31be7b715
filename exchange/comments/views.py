"""Comments on a proposal: the thread and form on its page (`comments_context`), and pages that
work without JavaScript to comment, reply, change one's comment and report one; the moderators'
queue of reported comments and the page where they hide a comment or dismiss its reports.

Comments are reached through their proposal's page address, so a comment of a proposal the
viewer may not see answers 404, as does a comment that is not on that proposal."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView, TemplateView, View

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from ..proposals.enums import Stage
from ..proposals.models import Proposal
from ..proposals.selectors import proposal_get_for_viewer
from ..rounds.services import ExchangeError
from .forms import CommentForm, CommentHideForm, CommentReportForm
from .models import Comment
from .selectors import (
    comment_get_for_moderator,
    comment_get_for_viewer,
    comment_open_report_by,
    comment_thread,
    moderation_queue,
)
from .services import (
    comment_can_edit,
    comment_edit,
    comment_hide,
    comment_post,
    comment_report,
    comment_reports_dismiss,
    comment_unhide,
)


def _proposal_url(proposal: Proposal, anchor: str = "") -> str:
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    return f"{url}#{anchor}" if anchor else url


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def comments_status(proposal: Proposal, now=None) -> dict:
    """Whether the proposal takes comments now and, if not, the notice to show instead."""
    now = now or timezone.now()
    round_ = proposal.round
    if proposal.stage == Stage.WITHDRAWN:
        return {"comments_open": False, "comments_notice": "withdrawn"}
    if now >= round_.comments_close_at:
        return {"comments_open": False, "comments_notice": "closed"}
    if not round_.comments_open(now):
        return {"comments_open": False, "comments_notice": "not_open"}
    return {"comments_open": True, "comments_notice": ""}


def comments_context(proposal: Proposal, user) -> dict:
    """What the proposal page needs for its comments: the thread, whether comments are open
    (and the notice if not), the form or the sign-in link, and which comments the viewer may
    change now."""
    now = timezone.now()
    moderator = bool(user.is_authenticated and user.has_perm("exchange.moderate_comments"))
    thread = comment_thread(proposal, viewer=user, moderator=moderator)
    nodes = list(_walk(thread))
    editable = (
        {n.comment.pk for n in nodes if comment_can_edit(n.comment, user, now)}
        if user.is_authenticated
        else set()
    )
    status = comments_status(proposal, now)
    here = _proposal_url(proposal)
    return {
        "comments": thread,
        "comment_count": len(nodes),
        "comments_close_at": proposal.round.comments_close_at,
        **status,
        "can_comment": status["comments_open"] and user.has_perm("exchange.comment"),
        "comment_form": CommentForm(),
        "comment_sign_in_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "comments_editable": editable,
        "comments_moderator": moderator,
    }


class ProposalCommentMixin(PermissionRequired404Mixin):
    """Signed-in people (members, and others as guests), on proposals they may see."""

    permission_required = "exchange.comment"

    def get_proposal(self) -> Proposal:
        if not hasattr(self, "_proposal"):
            self._proposal = proposal_get_for_viewer(
                user=self.request.user, slug=self.kwargs["slug"]
            )
        return self._proposal

    def get_comment(self) -> Comment:
        if not hasattr(self, "_comment"):
            self._comment = comment_get_for_viewer(
                user=self.request.user, proposal=self.get_proposal(), pk=self.kwargs["pk"]
            )
        return self._comment


class CommentCreateView(ProposalCommentMixin, TemplateView):
    """Comment on a proposal. The proposal page's form posts here; without JavaScript, a
    mistake comes back on this page with the text kept."""

    template_name = "exchange/comments/comment_form.jinja"
    mode = "new"

    def get_parent(self) -> Comment | None:
        return None

    def get_context_data(self, **kwargs):
        proposal = self.get_proposal()
        kwargs.setdefault("form", CommentForm())
        return super().get_context_data(
            proposal=proposal,
            parent=self.get_parent(),
            mode=self.mode,
            proposal_url=_proposal_url(proposal, "comments"),
            **comments_status(proposal),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = comment_post(
                    actor=request.user,
                    proposal=proposal,
                    parent=self.get_parent(),
                    body=form.cleaned_data["body"],
                )
            except ExchangeError as error:
                form_add_error(form, error, fallback="body")
            else:
                messages.success(request, "Your comment has been posted.")
                return redirect(_proposal_url(proposal, f"comment-{comment.pk}"))
        return self.render_to_response(self.get_context_data(form=form))


class CommentReplyView(CommentCreateView):
    mode = "reply"

    def get_parent(self) -> Comment:
        parent = self.get_comment()
        if parent.hidden_at is not None or parent.removed_at is not None:
            raise Http404
        return parent


class CommentEditView(ProposalCommentMixin, TemplateView):
    """The author changes their comment, within the edit window. Anyone else: 404."""

    template_name = "exchange/comments/comment_form.jinja"

    def get_own_comment(self) -> Comment:
        comment = self.get_comment()
        if comment.author_id != self.request.user.pk:
            raise Http404
        return comment

    def get_context_data(self, **kwargs):
        comment = self.get_own_comment()
        proposal = self.get_proposal()
        kwargs.setdefault("form", CommentForm(initial={"body": comment.body}))
        return super().get_context_data(
            proposal=proposal,
            comment=comment,
            parent=None,
            mode="edit",
            can_edit=comment_can_edit(comment, self.request.user),
            edit_minutes=settings.EXCHANGE_COMMENT_EDIT_MINUTES,
            proposal_url=_proposal_url(proposal, f"comment-{comment.pk}"),
            **comments_status(proposal),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        comment = self.get_own_comment()
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(actor=request.user, comment=comment, body=form.cleaned_data["body"])
            except ExchangeError as error:
                form_add_error(form, error, fallback="body")
            else:
                messages.success(request, "Your comment has been changed.")
                return redirect(_proposal_url(self.get_proposal(), f"comment-{comment.pk}"))
        return self.render_to_response(self.get_context_data(form=form))


class CommentReportView(ProposalCommentMixin, TemplateView):
    """Report a comment to the moderators, once. One's own comment: 404."""

    template_name = "exchange/comments/comment_report.jinja"

    def get_reportable(self) -> Comment:
        comment = self.get_comment()
        if comment.author_id == self.request.user.pk:
            raise Http404
        return comment

    def get_context_data(self, **kwargs):
        comment = self.get_reportable()
        proposal = self.get_proposal()
        kwargs.setdefault("form", CommentReportForm())
        return super().get_context_data(
            proposal=proposal,
            comment=comment,
            existing_report=comment_open_report_by(comment, self.request.user),
            proposal_url=_proposal_url(proposal, f"comment-{comment.pk}"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        comment = self.get_reportable()
        form = CommentReportForm(request.POST)
        if form.is_valid():
            try:
                comment_report(
                    actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
                )
            except ExchangeError as error:
                form_add_error(form, error, fallback="reason")
            else:
                messages.success(
                    request,
                    "Thank you for reporting the comment. A moderator will look at it and hide "
                    "it if it breaks the community's rules.",
                )
                return redirect(_proposal_url(self.get_proposal(), f"comment-{comment.pk}"))
        return self.render_to_response(self.get_context_data(form=form))


# Moderation ------------------------------------------------------------------------------------


class ModeratorMixin(PermissionRequired404Mixin):
    permission_required = "exchange.moderate_comments"


class ModerationQueueView(ModeratorMixin, ListView):
    template_name = "exchange/comments/moderation_queue.jinja"
    paginate_by = 25
    context_object_name = "comments"

    def get_queryset(self):
        return moderation_queue()


class ModerationCommentView(ModeratorMixin, TemplateView):
    template_name = "exchange/comments/moderation_comment.jinja"

    def get_context_data(self, **kwargs):
        comment = comment_get_for_moderator(self.kwargs["pk"])
        kwargs.setdefault("form", CommentHideForm())
        reports = list(comment.reports.all())
        return super().get_context_data(
            comment=comment,
            proposal=comment.proposal,
            open_reports=[r for r in reports if r.resolved_at is None],
            past_reports=[r for r in reports if r.resolved_at is not None],
            proposal_url=_proposal_url(comment.proposal, f"comment-{comment.pk}"),
            **kwargs,
        )


class ModerationHideView(ModerationCommentView):
    http_method_names = ["post"]

    def post(self, request, pk):
        comment = comment_get_for_moderator(pk)
        form = CommentHideForm(request.POST)
        if form.is_valid():
            try:
                comment_hide(
                    actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
                )
            except ExchangeError as error:
                form_add_error(form, error, fallback="reason")
            else:
                messages.success(request, "The comment is hidden. Its replies stay in the thread.")
                return redirect("exchange:moderation-queue")
        return self.render_to_response(self.get_context_data(form=form))


class ModerationDismissView(ModeratorMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        comment = comment_get_for_moderator(pk)
        try:
            comment_reports_dismiss(actor=request.user, comment=comment)
        except ExchangeError as error:
            messages.error(request, str(error))
            return redirect("exchange:moderation-comment", pk)
        messages.success(request, "The reports are dismissed. The comment stays as it is.")
        return redirect("exchange:moderation-queue")


class ModerationUnhideView(ModeratorMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        comment = comment_get_for_moderator(pk)
        try:
            comment_unhide(actor=request.user, comment=comment)
        except ExchangeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The comment is shown again.")
        return redirect("exchange:moderation-comment", pk)
