"""Demo data for the newsletters (`seed_demo`): contacts and subscriptions, then reusable blocks,
showcase items and past issues."""

from .issues import seed_newsletter_content
from .subscriptions import seed_newsletter_contacts

__all__ = ["seed_newsletter_contacts", "seed_newsletter_content"]
