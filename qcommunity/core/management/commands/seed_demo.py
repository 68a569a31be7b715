from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from accreditation.demo import seed_providers, seed_standards
from exchange.demo import demo_summary, seed_exchange
from members.demo.directory import seed_coffee, seed_directory, seed_member_entry
from members.demo.joining import seed_joining, seed_joining_overdue
from qcommunity.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_accounts
from qcommunity.imports.demo import seed_imports
from qcommunity.newsletters.demo.issues import seed_newsletter_content
from qcommunity.newsletters.demo.subscriptions import seed_newsletter_contacts
from qcommunity.newsletters.demo.waiting import seed_newsletter_waiting
from qcommunity.outbox.demo import seed_failed_email
from qcommunity.people.demo import seed_people


class Command(BaseCommand):
    help = (
        "Create the demo accounts (one per role), the demo directory, random coffee pairs, joining "
        "rounds, Q Exchange rounds and newsletters. Idempotent; refuses production settings."
    )

    def handle(self, *args, **options):
        accounts = seed_accounts()
        for account, user in accounts:
            if account.email == "member@demo.q.example":
                seed_member_entry(user)
        added = seed_directory()
        self.stdout.write(f"Demo directory: {added} new members with entries.")
        pairs = seed_coffee()
        self.stdout.write(
            ngettext(
                "Demo random coffee: %(num)d new pair for last month.",
                "Demo random coffee: %(num)d new pairs for last month.",
                pairs,
            )
            % {"num": pairs}
        )
        rounds = seed_joining()
        self.stdout.write(
            f"Demo joining: {rounds} new rounds (open, panel reviewing, decisions recorded)."
        )
        exchange_rounds = seed_exchange()
        counts = demo_summary()
        self.stdout.write(
            f"Demo Q Exchange: {exchange_rounds} new rounds (last year decided, this year voting, "
            f"next year taking ideas); {counts['proposals']} proposals, "
            f"{counts['comments']} comments in all."
        )
        providers = seed_providers()
        self.stdout.write(
            f"Demo Quality Mark: {providers} new provider organisations (some verified, some "
            "waiting), with their programmes."
        )
        issues = seed_newsletter_content()
        self.stdout.write(f"Demo newsletter: {issues} new issues, blocks and showcase items.")
        contacts = seed_newsletter_contacts()
        self.stdout.write(f"Demo newsletters: {contacts} new contacts.")
        invitations = seed_people()
        self.stdout.write(f"Demo people: {invitations} new invitations, one suspended account.")
        waiting = seed_joining_overdue() + seed_newsletter_waiting() + seed_failed_email()
        self.stdout.write(
            f"Demo work for the staff home: {waiting} new (a panel past its review deadline, a "
            "bounced delivery, an import to confirm, a failed email)."
        )
        self.stdout.write(f"Demo Quality Mark: {seed_standards()} new standard, with a draft.")
        uploads = seed_imports()
        self.stdout.write(f"Demo imports: {uploads} new upload of past members to confirm.")
        self.stdout.write(
            f"\nDemo sign-ins (development only), all with the password {DEMO_PASSWORD}:"
        )
        for account, user in accounts:
            note = " (two-factor)" if user.needs_two_factor else ""
            self.stdout.write(f"  {account.email:<32} {account.description}{note}")
        self.stdout.write(
            "Accounts marked two-factor share the authenticator secret "
            f"{DEMO_TOTP_SECRET}; `python manage.py demo_code` prints the current code.\n"
        )
