"""axe-core finds nothing on the Q Exchange pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchange.comments.services import comment_hide, comment_post, comment_report
from exchange.rounds.models import Round
from tests.browser.conftest import assert_accessible
from tests.exchange.browse.test_proposal_page import build
from tests.exchange.comments.helpers import guest, member, moderator, open_proposal

pytestmark = pytest.mark.django_db(transaction=True)


def test_proposal_page_has_no_axe_violations(page):
    proposal = build(team_size=2, steps=3)
    response = page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == proposal.title
    assert_accessible(page)
    assert page.console_errors == []


def test_decision_and_progress_update_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from exchange.proposals.enums import Stage
    from exchange.proposals.models import ProgressUpdate, Proposal
    from qcommunity.accounts.enums import Role
    from tests.conftest import TOTP_SECRET
    from tests.factories.accounts import UserFactory

    proposal = build()
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.PROPOSAL)
    moderator = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    TOTP.activate(moderator, TOTP_SECRET)
    page = sign_in_browser(moderator)
    page.goto(f"/exchange/proposals/{proposal.slug}/decide/")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page)

    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    ProgressUpdate.objects.create(
        proposal=proposal, author=proposal.lead, title="Started", body="b", body_html="<p>b</p>"
    )
    page.context.clear_cookies()
    page = sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/updates/new/")
    page.get_by_role("button", name="Post the update").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert "Started" in page.locator("#updates ~ article").first.inner_text()
    assert_accessible(page)


def _thread(proposal):
    """A thread with replies two and three deep, a guest, the team, an edit and a hidden
    comment."""

    first = comment_post(
        actor=member("Mina Member"), proposal=proposal, body="How will you *measure* it?"
    )
    reply = comment_post(
        actor=proposal.lead, proposal=proposal, body="With a run chart.", parent=first
    )
    deeper = comment_post(
        actor=guest("Gail Guest"), proposal=proposal, body="Weekly?", parent=reply
    )
    comment_post(actor=member(), proposal=proposal, body="Monthly is enough.", parent=deeper)
    rude = comment_post(actor=member(), proposal=proposal, body="Rude words")
    comment_post(actor=proposal.lead, proposal=proposal, body="Please be kind.", parent=rude)
    comment_hide(actor=moderator(), comment=rude, reason="It was abusive")
    return first, rude


def test_proposal_page_with_a_comment_thread_has_no_axe_violations(page, sign_in_browser):
    proposal = open_proposal()
    _thread(proposal)
    sign_in_browser(member())
    response = page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert response.status == 200
    assert page.locator("#comments-heading").inner_text() == "Comments (6)"
    expect(
        page.get_by_text("This comment was hidden by a moderator: It was abusive")
    ).to_be_visible()
    expect(page.get_by_label("Your comment")).to_be_visible()


def test_proposal_page_after_its_lead_deleted_their_account_has_no_axe_violations(page):
    from qcommunity.privacy.services import account_delete

    proposal = build(team_size=1)
    asked = comment_post(actor=proposal.lead, proposal=proposal, body="What do you think?")
    comment_post(actor=member(), proposal=proposal, body="Sounds good.", parent=asked)
    account_delete(user=proposal.lead)
    response = page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert response.status == 200
    expect(
        page.get_by_text("This comment was removed when its author deleted their account.")
    ).to_be_visible()
    assert "Former member" in page.locator("#team ~ *").first.inner_text()
    assert_accessible(page)


# Supporting and voting ------------------------------------------------------------------------


def _voting_round():
    from tests.exchange.voting.test_voting_services import standing_round

    round_, themes, proposals, _, _ = standing_round()
    return round_, themes, proposals


def test_ballot_pages_have_no_axe_violations(sign_in_browser):
    """The ballot empty, with errors, then saved (your ballot), and the support box."""
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory

    round_, themes, proposals = _voting_round()
    outsider = sign_in_browser(UserFactory())
    response = outsider.goto(f"/exchange/{round_.year}/vote/")
    assert response.status == 403
    assert outsider.locator("h1").inner_text() == "Only members of Q can vote"
    assert_accessible(outsider)
    outsider.console_errors.clear()  # the browser reports the 403 itself
    outsider.context.clear_cookies()

    page = sign_in_browser(UserFactory(roles=[Role.MEMBER]))
    page.goto(f"/exchange/{round_.year}/")
    assert_accessible(page)
    page.get_by_role("button", name="Vote").click()
    assert page.url.endswith(f"/exchange/{round_.year}/vote/")
    assert page.locator("h1").inner_text() == "Vote for the proposals you want funded"
    assert_accessible(page)

    page.get_by_label(proposals[themes[0].pk][0].title).check()
    page.get_by_role("button", name="Save your ballot").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label(proposals[themes[0].pk][0].title)).to_be_checked()
    assert_accessible(page)

    page.get_by_label(proposals[themes[0].pk][1].title).check()
    for proposal in proposals[themes[1].pk][:2]:
        page.get_by_label(proposal.title).check()
    page.get_by_role("button", name="Save your ballot").click()
    assert page.locator("h1").inner_text() == "Your ballot"
    assert "Your ballot has been saved" in page.content()
    assert_accessible(page)

    page.goto(f"/exchange/proposals/{proposals[themes[0].pk][0].slug}/")
    page.get_by_role("button", name="Support this proposal").click()
    page.get_by_role("button", name="Stop supporting").wait_for()  # swapped in by htmx
    assert "1 member supports this." in page.locator("#support").inner_text()
    assert_accessible(page)
    page.goto("/exchange/supported/")
    assert_accessible(page)
    assert page.console_errors == []


def test_proposal_page_with_comments_closed_has_no_axe_violations(page):
    proposal = open_proposal()
    _thread(proposal)
    # Comments close with the proposal deadline, an hour ago (the round's dates stay in order).
    past = timezone.now() - dt.timedelta(hours=1)
    Round.objects.filter(pk=proposal.round_id).update(
        proposals_close_at=past, comments_close_at=past
    )
    response = page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert response.status == 200
    expect(page.get_by_text("Comments closed on")).to_be_visible()
    expect(page.get_by_text("Sign in to comment")).to_have_count(0)
    assert_accessible(page)


def test_comment_reply_edit_and_report_pages_have_no_axe_violations(page, sign_in_browser):
    proposal = open_proposal()
    first, _ = _thread(proposal)
    author = member()
    own = comment_post(actor=author, proposal=proposal, body="My **own** comment")
    sign_in_browser(author)
    base = f"/exchange/proposals/{proposal.slug}/comments"
    for path, heading in (
        (f"{base}/{first.pk}/reply/", "Reply to Mina Member"),
        (f"{base}/{own.pk}/edit/", "Change your comment"),
        (f"{base}/{first.pk}/report/", "Report a comment"),
        (f"{base}/", "Comment on this proposal"),
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").inner_text() == heading
        assert_accessible(page)
    # A mistake: the error summary and the message by the field.
    page.goto(f"{base}/{first.pk}/reply/")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Enter your comment").first).to_be_visible()


def _check(page, path, heading=None):
    response = page.goto(path)
    assert response.status == 200, path
    expect(page.locator("h1")).to_have_count(1)
    if heading:
        assert page.locator("h1").inner_text() == heading
    assert_accessible(page)
    assert page.console_errors == []


def test_moderation_pages_have_no_axe_violations(page, sign_in_browser):
    proposal = open_proposal()
    first, rude = _thread(proposal)
    comment_report(actor=member(), comment=first, reason="It is off topic")
    sign_in_browser(moderator())
    response = page.goto("/exchange/moderation/")
    assert response.status == 200
    expect(page.get_by_text("It is off topic")).to_be_visible()
    assert_accessible(page)
    for pk in (first.pk, rude.pk):
        response = page.goto(f"/exchange/moderation/comments/{pk}/")
        assert response.status == 200
        assert_accessible(page)
    page.goto(f"/exchange/moderation/comments/{first.pk}/")
    page.get_by_role("button", name="Hide the comment").click()
    expect(page.get_by_text("Enter the reason for hiding the comment").first).to_be_visible()


def test_results_and_turnout_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from tests.exchange.voting.test_voting_pages import cast_in_the_past
    from tests.exchange.voting.test_voting_services import move_window
    from tests.factories.accounts import UserFactory

    round_, themes, proposals = _voting_round()
    move_window(round_, when="after")
    for n in range(3):
        chosen = proposals[themes[0].pk][n:][:2] + proposals[themes[1].pk][:2]
        if len(chosen) == 4:
            cast_in_the_past(round_, UserFactory(roles=[Role.MEMBER]), chosen)
    staff = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(staff)

    response = page.goto(f"/exchange/{round_.year}/results/")
    assert response.status == 200
    expect(page.locator("table")).to_have_count(2)
    assert_accessible(page)
    response = page.goto(f"/exchange/{round_.year}/turnout/")
    assert response.status == 200
    assert "Ballots cast" in page.content()


# The writing side of proposals (issue 6 point 2): every page the team uses, with errors shown.


def _team_idea():
    """An idea with a full team, plan, points and an attachment, led by a member."""
    from exchange.proposals.services import attachment_add
    from tests.exchange.proposals.helpers import MINIMAL_PDF, upload

    proposal = build(team_size=2, steps=3)
    attachment_add(actor=proposal.lead, proposal=proposal, upload=upload("plan.pdf", MINIMAL_PDF))
    return proposal


def test_post_an_idea_with_errors_has_no_axe_violations(page, sign_in_browser):
    from tests.exchange.proposals.helpers import member
    from tests.factories.exchange import make_exchange_round

    round_ = make_exchange_round(voting_open=False)
    sign_in_browser(member())
    page.goto(f"/exchange/{round_.year}/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Post your idea").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_edit_page_with_errors_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    section = proposal.round.sections.first()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/edit/")
    assert_accessible(page)
    page.fill(f"#id_answer_{section.pk}", "word " * (section.word_limit + 3))
    page.fill("#id_amount_requested", "lots")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert "words or fewer" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    assert page.console_errors == []


def test_team_page_with_errors_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/team/")
    assert_accessible(page)
    page.fill("#id_email", "nobody@example.org")
    page.get_by_role("button", name="Add this member of Q").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_accept_invitation_page_has_no_axe_violations(page, sign_in_browser):
    from exchange.proposals.services import team_invite
    from tests.exchange.proposals.helpers import member

    proposal = _team_idea()
    invitee = member()
    team_invite(actor=proposal.lead, proposal=proposal, email=invitee.email)
    sign_in_browser(invitee)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/team/accept/")
    assert_accessible(page)


def test_lead_handover_pages_have_no_axe_violations(page, sign_in_browser):
    from exchange.proposals.services import team_invitation_accept, team_member_add
    from tests.exchange.proposals.helpers import member

    proposal = _team_idea()
    colleague = member(full_name="Cara Colleague")
    invited = team_member_add(
        actor=proposal.lead, proposal=proposal, user=colleague, co_author=True
    )
    team_invitation_accept(actor=colleague, member=invited)
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/team/lead/")
    assert_accessible(page)
    page.get_by_role("button", name="Ask them to take over as lead").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cara Colleague").check()
    page.get_by_role("button", name="Ask them to take over as lead").click()
    expect(page.get_by_text("We have asked Cara Colleague to take over as lead")).to_be_visible()
    assert_accessible(page)
    sign_in_browser(colleague)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Accept or decline").click()
    expect(page.get_by_role("heading", name="Take over as lead")).to_be_visible()
    assert_accessible(page)


def test_plan_page_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/plan/")
    assert_accessible(page)
    page.get_by_role("button", name="Add the step").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_funded_plan_page_has_no_axe_violations(page, sign_in_browser):
    from django.utils import timezone

    from exchange.proposals.enums import Stage
    from exchange.proposals.models import Proposal

    proposal = _team_idea()
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/plan/")
    page.locator("details summary").first.click()
    assert_accessible(page)
    page.locator("details").first.get_by_role("button", name="Update this step").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_attachments_page_with_errors_has_no_axe_violations(page, sign_in_browser, tmp_path):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/attachments/")
    assert_accessible(page)
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a pdf at all")
    page.set_input_files("#id_file", str(fake))
    page.get_by_role("button", name="Attach the file").click()
    assert "is not a PDF" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)


def test_develop_and_withdraw_pages_have_no_axe_violations(page, sign_in_browser):
    from exchange.proposals.models import SectionAnswer

    proposal = _team_idea()
    SectionAnswer.objects.filter(proposal=proposal).delete()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/develop/")
    expect(page.get_by_text("Questions still to answer")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/withdraw/")
    assert_accessible(page)


def test_print_page_has_no_axe_violations(page):
    proposal = _team_idea()
    page.goto(f"/exchange/proposals/{proposal.slug}/print/")
    assert page.locator("h1").inner_text() == proposal.title
    assert_accessible(page)
    page.emulate_media(media="print")
    assert_accessible(page)
    assert page.console_errors == []


def test_browse_pages_have_no_axe_violations(page):
    """`/exchange/` empty and with rounds; a round's page with cards, with a search that finds
    nothing, and with no proposals at all."""
    from exchange.comments.models import Comment
    from exchange.proposals.services import proposal_refresh_search
    from exchange.voting.models import Support
    from members.directory.models import Topic
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.exchange import make_exchange_round, make_proposal

    _check(page, "/exchange/", "Q Exchange")
    dementia, _ = Topic.objects.get_or_create(slug="dementia", defaults={"name": "Dementia"})
    full = make_exchange_round(year=2026)
    empty = make_exchange_round(year=2027, voting_open=False)
    lead = UserFactory(roles=[Role.MEMBER], full_name="Priya Lead")
    for _ in range(30):
        proposal = make_proposal(full, lead=lead)
        proposal.topics.add(dementia)
        Comment.objects.create(proposal=proposal, author=lead, body="Hi", body_html="<p>Hi</p>")
        Support.objects.create(proposal=proposal, user=UserFactory(roles=[Role.MEMBER]))
    proposal_refresh_search(proposal_ids=list(full.proposals.values_list("pk", flat=True)))
    _check(page, "/exchange/", "Q Exchange")
    _check(page, "/exchange/2026/", full.name)
    _check(page, "/exchange/2026/?topic=dementia&stage=proposal&page=2", full.name)
    _check(page, "/exchange/2026/?q=unicorns", full.name)
    _check(page, "/exchange/2027/", empty.name)


def test_staff_round_pages_have_no_axe_violations(sign_in_browser):
    """The staff's list, set-up form (blank, with an added row, with errors), a draft's change
    form, the publish confirmation, a published round's dates-only form and the choice of
    which proposals to download (blank, and with filters chosen)."""
    from exchange.rounds.models import Round
    from tests.factories.exchange import make_exchange_round
    from tests.factories.panels import staff_user

    round_ = make_exchange_round(year=2030)
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    page = sign_in_browser(staff_user())
    _check(page, "/staff/exchange/rounds/", "Q Exchange rounds")
    _check(page, "/staff/exchange/rounds/new/", "Set up a Q Exchange round")
    page.get_by_role("button", name="Add another theme").click()
    page.wait_for_load_state()
    expect(page.locator("#id_theme_3_name")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="Set up the round").click()
    page.wait_for_load_state()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    _check(page, f"/staff/exchange/rounds/{round_.pk}/", f"Change {round_.name}")
    _check(page, f"/staff/exchange/rounds/{round_.pk}/publish/", f"Publish {round_.name}?")
    page.get_by_role("button", name="Publish the round").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _check(page, f"/staff/exchange/rounds/{round_.pk}/", f"Change {round_.name}")
    export = f"/staff/exchange/rounds/{round_.pk}/export/"
    _check(page, export, "Download proposals, votes and outcomes")
    _check(page, f"{export}?stage=funded&q=safety")


def test_shortlisting_pages_have_no_axe_violations(sign_in_browser):
    """Staff's criteria (with an error), panels and panel pages; a reviewer's panels, the
    conflict question, the scoring form with errors and a submitted review beside another; the
    chair's overview."""
    from tests.exchange.shortlist.helpers import comment, score, shortlisting
    from tests.factories.accounts import UserFactory

    s = shortlisting(proposals=2, reviewers=2)
    comment(s.proposals[0], UserFactory())
    page = sign_in_browser(s.staff)
    _check(page, f"/staff/exchange/rounds/{s.round.pk}/criteria/", "Shortlisting criteria")
    page.fill("#id_criterion_3_title", "A title without its meaning")
    page.get_by_role("button", name="Save the criteria").click()
    page.wait_for_load_state()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    _check(page, f"/staff/exchange/rounds/{s.round.pk}/panels/", "Shortlisting panels")
    _check(page, f"/staff/exchange/rounds/{s.round.pk}/panels/{s.panel.pk}/", s.panel.name)
    page.get_by_role("button", name="Share out the proposals").click()
    page.wait_for_load_state()
    assert_accessible(page)

    mine, theirs = s.panel.assignments.filter(subject_id=s.proposals[0].pk).order_by("id")
    score(theirs, [4, 1])
    page.context.clear_cookies()
    page = sign_in_browser(mine.reviewer)
    _check(page, "/exchange/panels/", "Your Q Exchange panels")
    _check(page, f"/exchange/panels/{s.panel.pk}/", s.panel.name)
    _check(page, f"/exchange/panels/assignments/{mine.pk}/")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Review \u201c")
    assert_accessible(page)
    page.get_by_role("button", name="Submit your review").click()
    page.wait_for_load_state()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    for criterion in s.panel.scheme.criteria.all():
        page.locator(f"input[name='criterion_{criterion.pk}'][value='2']").check()
    page.get_by_label("Shortlist", exact=True).check()
    page.get_by_role("button", name="Submit your review").click()
    page.wait_for_load_state()
    assert "Your score" in page.locator("main").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    page = sign_in_browser(s.chair)
    _check(page, f"/exchange/panels/{s.panel.pk}/overview/", f"Overview: {s.panel.name}")


def test_shortlisting_reassign_page_has_no_axe_violations(sign_in_browser):
    """Staff give an unfinished review to someone else: the panel page's Reassign link, the
    form, the form with its error, a finished review's page, and the panel page after the move
    with its success message."""
    from exchange.shortlist.services import proposal_assignments_distribute
    from tests.exchange.shortlist.helpers import score, shortlisting

    s = shortlisting(proposals=1, reviewers=3, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    finished, unfinished = s.panel.assignments.order_by("id")
    score(finished, [3, 2])
    held = {finished.reviewer_id, unfinished.reviewer_id}
    free = next(r for r in s.reviewers if r.pk not in held).get_full_name()
    base = f"/staff/exchange/rounds/{s.round.pk}/panels/{s.panel.pk}"
    page = sign_in_browser(s.staff)
    _check(page, f"{base}/", s.panel.name)
    page.get_by_role("link", name="Reassign").click()
    expect(page.locator("h1")).to_have_text("Reassign a review")
    assert page.url.endswith(f"{base}/assignments/{unfinished.pk}/reassign/")
    assert_accessible(page)
    page.get_by_role("button", name="Reassign the review").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose the reviewer to give this review to"
    )
    assert_accessible(page)
    page.get_by_label("Give this review to").select_option(label=free)
    page.get_by_role("button", name="Reassign the review").click()
    expect(page.locator("h1")).to_have_text(s.panel.name)
    expect(page.get_by_text(f"has been given to {free}")).to_have_count(1)
    assert_accessible(page)
    _check(page, f"{base}/assignments/{finished.pk}/reassign/", "Reassign a review")
