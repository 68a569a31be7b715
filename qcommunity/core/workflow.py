"""One workflow kit for every object that moves through states (membership rounds and
applications, Exchange proposals, panel assignments, newsletter issues, showcase items and
subscriptions).

A `Workflow` is a model, the field that holds its state and a table of `Transition`s (the
action, the states it may start from, the state it leads to, the words on its button, the
permission that allows it and whether the system may take it alone). Each app declares the
table in its `enums` (named sets of states live there too) and the workflow with its effects
in its services:

    PROPOSALS = Workflow(model=Proposal, field="stage", transitions=PROPOSAL_TRANSITIONS,
                         audit="exchange_proposal", error=ExchangeError, noun="proposal")

    @PROPOSALS.effect("withdraw")
    def _withdraw(move: Move) -> None:
        move.set(withdrawn_at=move.now)

    PROPOSALS.move(actor=user, obj=proposal, action="withdraw")

`move` is the only way a state changes for one object: lock the row, check the permission,
check the state is a source of the action (so a double click does nothing the second time),
run the effect (which may refuse with the app's error, change fields, add audit details, pick
another target or queue work after commit), write, and record one audit row with the from and
to states. `move_many` does the same for many rows at once (account deletion, imports): the
rows in a source state move, with one audit row each. `actions_for` gives the buttons a page
shows: the moves this person may take now, from the same table.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from qcommunity.audit.services import audit_record, audit_record_many

from .attention import attention_changed_for
from .errors import PERMISSION_MESSAGE, ServiceError


@dataclass(frozen=True)
class Transition:
    """One move of a workflow. `rule` is the django-rules permission a person needs, checked
    against the object (None: the calling service has already decided who may); `denied` is
    what someone without it is told. `system`: the system (a scheduled task or webhook, actor
    None) may take it too."""

    action: str
    sources: frozenset
    target: str
    label: str
    rule: str | None = None
    system: bool = False
    denied: str = PERMISSION_MESSAGE


def transitions(*table: Transition) -> dict[str, Transition]:
    """A table of transitions keyed by action, in the order given (the order of buttons)."""
    return {t.action: t for t in table}


@dataclass
class Move:
    """One move in progress, handed to the transition's effect. The effect may `set` fields,
    add audit `data`, change `target`, refuse by raising the workflow's error, ask for work
    `after_write` (in the same transaction, once the row and its audit are written: queueing
    emails through the outbox, which sends them after commit) or `after_commit` (work that
    must not happen unless the move is kept)."""

    obj: Any
    transition: Transition
    actor: Any
    now: dt.datetime
    source: str
    target: str
    params: dict
    fields: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    then: list[Callable[[], Any]] = field(default_factory=list)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.obj, name, value)
            if name not in self.fields:
                self.fields.append(name)

    def after_write(self, work: Callable[[], Any]) -> None:
        self.then.append(work)

    def after_commit(self, work: Callable[[], Any]) -> None:
        transaction.on_commit(work)


Effect = Callable[[Move], None]


class Workflow:
    """See the module's docstring. `lock(obj)` returns the object re-read under a row lock
    (default: `select_for_update` of the row alone); `refusal(obj, transition)` words the
    refusal of a move from the wrong state; `stamp` names the field set to the time of every
    move (default `updated_at` when the model has it); `audit_action` fixes one audit action
    for every move instead of "<audit>.<action>"; `after(move)` runs after every move's
    write (for work every move shares, such as forgetting cached pages)."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        field: str,
        transitions: Mapping[str, Transition],
        audit: str,
        error: type[ServiceError],
        noun: str,
        lock: Callable[[Any], Any] | None = None,
        refusal: Callable[[Any, Transition], str] | None = None,
        stamp: str | None = "updated_at",
        audit_action: str | None = None,
        after: Effect | None = None,
    ):
        self.model = model
        self.field = field
        self.transitions = dict(transitions)
        self.audit = audit
        self.error = error
        self.noun = noun
        self._lock = lock
        self._refusal = refusal
        field_names = {f.name for f in model._meta.get_fields()}
        self.stamp = stamp if stamp in field_names else None
        self.audit_action = audit_action
        self._after = after
        self._effects: dict[str, Effect] = {}

    # The table ---------------------------------------------------------------------------------

    def __getitem__(self, action: str) -> Transition:
        return self.get(action)

    def get(self, action: str) -> Transition:
        transition = self.transitions.get(action)
        if transition is None:
            raise self.error(f"That is not something you can do to a {self.noun}.")
        return transition

    def effect(self, *actions: str) -> Callable[[Effect], Effect]:
        """Register the function as the effect of `actions` (a decorator)."""
        for action in actions:
            self.get(action)

        def register(function: Effect) -> Effect:
            for action in actions:
                if action in self._effects:
                    raise ValueError(f"{self.audit}: {action} already has an effect")
                self._effects[action] = function
            return function

        return register

    def actions_from(self, state: str, actions: Iterable[str] | None = None) -> list[Transition]:
        """The transitions that start from `state` (of `actions`, in their order, if given)."""
        chosen = self.transitions if actions is None else actions
        return [self.transitions[a] for a in chosen if state in self.transitions[a].sources]

    def actions_for(self, obj, user, actions: Iterable[str] | None = None) -> list[Transition]:
        """The moves `user` may take on `obj` now: what a page offers as buttons."""
        state = getattr(obj, self.field)
        return [t for t in self.actions_from(state, actions) if self.permits(user, obj, t)]

    def permits(self, actor, obj, transition: Transition) -> bool:
        if actor is None:
            return transition.system
        if transition.rule is None:
            return True
        return actor.has_perm(transition.rule, obj)

    # Moving ------------------------------------------------------------------------------------

    def refusal(self, obj, transition: Transition) -> str:
        if self._refusal is not None:
            return self._refusal(obj, transition)
        shown = getattr(obj, f"get_{self.field}_display")().lower()
        return f"This {self.noun} is {shown}, so you cannot do that now."

    def lock(self, obj):
        if self._lock is not None:
            return self._lock(obj)
        return self.model.objects.select_for_update(of=("self",)).get(pk=obj.pk)

    @transaction.atomic
    def move(
        self,
        *,
        actor,
        obj,
        action: str,
        now: dt.datetime | None = None,
        locked: bool = False,
        **params: Any,
    ):
        """Move `obj` by `action` (see the module's docstring). `params` reach the effect.
        `locked`: the caller already holds the row lock on `obj`. Returns the object moved."""
        transition = self.get(action)
        if not locked:
            obj = self.lock(obj)
        if not self.permits(actor, obj, transition):
            raise self.error(transition.denied)
        source = getattr(obj, self.field)
        if source not in transition.sources:
            raise self.error(self.refusal(obj, transition))
        move = Move(
            obj=obj,
            transition=transition,
            actor=actor,
            now=now or timezone.now(),
            source=source,
            target=transition.target,
            params=params,
        )
        if effect := self._effects.get(action):
            effect(move)
        move.set(**{self.field: move.target})
        if self.stamp:
            move.set(**{self.stamp: move.now})
        obj.save(update_fields=move.fields)
        if self._after is not None:
            self._after(move)
        audit_record(
            actor=actor,
            action=self.audit_action or f"{self.audit}.{action}",
            target=obj,
            data={"from": source, "to": move.target, **move.data},
        )
        for work in move.then:
            work()
        return obj

    @transaction.atomic
    def move_many(
        self,
        *,
        actor,
        objects: models.QuerySet,
        action: str,
        now: dt.datetime | None = None,
        values: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        authorised: bool = False,
    ) -> list:
        """Move every row of `objects` that is in a source state of `action` (others are left
        as they are), setting `values` as well, in one UPDATE under row locks, with one audit
        row each ("from", "to" and `data`). No effects run: a move that needs one goes through
        `move`. `authorised`: the calling service has decided the actor may (account deletion
        acts for the person leaving, whatever roles they still hold), so no rule is checked.
        Returns the objects moved."""
        transition = self.get(action)
        now = now or timezone.now()
        rows = list(
            objects.select_for_update(of=("self",)).filter(
                **{f"{self.field}__in": transition.sources}
            )
        )
        for row in [] if authorised else rows:
            if not self.permits(actor, row, transition):
                raise self.error(transition.denied)
        changes = {self.field: transition.target, **(values or {})}
        if self.stamp:
            changes[self.stamp] = now
        sources = {row.pk: getattr(row, self.field) for row in rows}
        for row in rows:
            for name, value in changes.items():
                setattr(row, name, value)
        if rows:
            self.model.objects.filter(pk__in=list(sources)).update(**changes)
            # An UPDATE sends no signal: the staff home's counts of these rows are stale.
            attention_changed_for(self.model)
        audit_record_many(
            actor=actor,
            action=self.audit_action or f"{self.audit}.{action}",
            entries=(
                (row, {"from": sources[row.pk], "to": transition.target, **(data or {})})
                for row in rows
            ),
        )
        return rows
