from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PeopleConfig(AppConfig):
    name = "qcommunity.people"
    label = "people"
    verbose_name = "People (staff)"

    def ready(self) -> None:
        # What each app shows about an account on its staff page (qcommunity.people.facts).
        autodiscover_modules("people")
