from django.core.management.base import BaseCommand

from qcommunity.core.demo import current_demo_code, refuse_in_production


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (development only)."

    def handle(self, *args, **options):
        refuse_in_production()
        self.stdout.write(current_demo_code())
