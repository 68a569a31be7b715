"""The workflow kit, on a real model (a newsletter issue) with a table of its own: one move
checks the permission, the state and the effect's own rules before it writes and audits;
nothing is written when it refuses; the system moves only where the table allows; many rows
move at once with one audit row each; a page's buttons are the moves this person may take."""

import pytest
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.errors import ServiceError
from qcommunity.core.workflow import Move, Transition, Workflow, transitions
from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.newsletters.issues.models import Issue
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import IssueFactory

pytestmark = pytest.mark.django_db

EDIT = "newsletters.compose_issues"


class FlowError(ServiceError):
    pass


def make_workflow():
    flow = Workflow(
        model=Issue,
        field="status",
        transitions=transitions(
            Transition(
                "approve", frozenset({IssueStatus.DRAFT}), IssueStatus.APPROVED, "Approve", EDIT
            ),
            Transition(
                "cancel",
                frozenset({IssueStatus.DRAFT, IssueStatus.APPROVED}),
                IssueStatus.CANCELLED,
                "Cancel",
                EDIT,
                denied="Editors only.",
            ),
            Transition(
                "mark_sent",
                frozenset({IssueStatus.APPROVED}),
                IssueStatus.SENT,
                "Mark as sent",
                EDIT,
                system=True,
            ),
        ),
        audit="test_issue",
        error=FlowError,
        noun="issue",
    )

    @flow.effect("approve")
    def _approve(move: Move) -> None:
        if move.params.get("refuse"):
            raise FlowError("Not ready.", {"intro": "Write an introduction"})
        move.set(title=move.obj.title + " (approved)")
        move.data["note"] = move.params.get("note", "")
        if move.params.get("straight_to_sent"):
            move.target = IssueStatus.SENT

    return flow


@pytest.fixture
def editor():
    return UserFactory(roles=[Role.EDITOR])


def audit_rows(action):
    return list(AuditEntry.objects.filter(action=action).values_list("data", flat=True))


def test_a_move_writes_the_state_the_effect_and_one_audit_row(editor):
    flow, issue = make_workflow(), IssueFactory()
    moved = flow.move(actor=editor, obj=issue, action="approve", note="Looks good")
    moved.refresh_from_db()
    assert moved.status == IssueStatus.APPROVED
    assert moved.title.endswith("(approved)")
    assert moved.updated_at is not None
    assert audit_rows("test_issue.approve") == [
        {"from": "draft", "to": "approved", "note": "Looks good"}
    ]


def test_the_effect_may_choose_another_target(editor):
    moved = make_workflow().move(
        actor=editor, obj=IssueFactory(), action="approve", straight_to_sent=True
    )
    assert Issue.objects.get(pk=moved.pk).status == IssueStatus.SENT


@pytest.mark.parametrize("who", ["nobody", "member", "system"])
def test_without_the_permission_nothing_moves_and_nothing_is_audited(who):
    flow, issue = make_workflow(), IssueFactory()
    actor = {"nobody": UserFactory(), "member": UserFactory(roles=[Role.MEMBER]), "system": None}
    with pytest.raises(FlowError, match=r"Editors only\."):
        flow.move(actor=actor[who], obj=issue, action="cancel")
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.DRAFT
    assert not AuditEntry.objects.filter(action__startswith="test_issue").exists()


def test_a_refusing_effect_writes_nothing_and_names_the_field(editor):
    flow, issue = make_workflow(), IssueFactory()
    with pytest.raises(FlowError) as raised:
        flow.move(actor=editor, obj=issue, action="approve", refuse=True)
    assert raised.value.errors == {"intro": "Write an introduction"}
    issue.refresh_from_db()
    assert (issue.status, issue.title.endswith("(approved)")) == (IssueStatus.DRAFT, False)
    assert not AuditEntry.objects.filter(action__startswith="test_issue").exists()


def test_a_second_click_is_refused_from_the_wrong_state(editor):
    flow, issue = make_workflow(), IssueFactory()
    flow.move(actor=editor, obj=issue, action="approve")
    with pytest.raises(FlowError, match=r"This issue is approved, so you cannot do that now\."):
        flow.move(actor=editor, obj=issue, action="approve")
    assert len(audit_rows("test_issue.approve")) == 1
    with pytest.raises(FlowError, match="not something you can do"):
        flow.move(actor=editor, obj=issue, action="explode")


def test_the_system_takes_only_the_moves_the_table_gives_it(editor):
    flow = make_workflow()
    issue = flow.move(actor=editor, obj=IssueFactory(), action="approve")
    flow.move(actor=None, obj=issue, action="mark_sent")
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SENT
    with pytest.raises(FlowError):
        flow.move(actor=None, obj=IssueFactory(), action="approve")


def test_the_buttons_are_the_moves_this_person_may_take_now(editor):
    flow, issue = make_workflow(), IssueFactory()
    assert [t.action for t in flow.actions_for(issue, editor)] == ["approve", "cancel"]
    assert [t.action for t in flow.actions_for(issue, editor, ["cancel"])] == ["cancel"]
    assert flow.actions_for(issue, UserFactory()) == []
    issue.status = IssueStatus.APPROVED
    assert [t.action for t in flow.actions_for(issue, editor)] == ["cancel", "mark_sent"]


def test_many_rows_move_at_once_with_one_audit_row_each_and_others_stay(editor):
    flow = make_workflow()
    drafts = [IssueFactory() for _ in range(3)]
    sent = IssueFactory(status=IssueStatus.SENT)
    now = timezone.now()
    moved = flow.move_many(
        actor=editor,
        objects=Issue.objects.filter(pk__in=[i.pk for i in (*drafts, sent)]),
        action="cancel",
        now=now,
        data={"reason": "Tidy up"},
    )
    assert sorted(i.pk for i in moved) == sorted(i.pk for i in drafts)
    assert set(
        Issue.objects.filter(pk__in=[i.pk for i in drafts]).values_list("status", flat=True)
    ) == {IssueStatus.CANCELLED}
    assert Issue.objects.get(pk=sent.pk).status == IssueStatus.SENT
    assert (
        audit_rows("test_issue.cancel")
        == [{"from": "draft", "to": "cancelled", "reason": "Tidy up"}] * 3
    )
    draft = IssueFactory()
    with pytest.raises(FlowError):
        flow.move_many(actor=UserFactory(), objects=Issue.objects.all(), action="approve")
    assert Issue.objects.get(pk=draft.pk).status == IssueStatus.DRAFT


def test_an_effect_is_registered_once_and_only_for_a_known_move():
    flow = make_workflow()
    with pytest.raises(ValueError, match="already has an effect"):
        flow.effect("approve")(lambda move: None)
    with pytest.raises(FlowError):
        flow.effect("explode")
