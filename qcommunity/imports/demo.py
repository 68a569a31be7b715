"""Demo data: an upload of past members waiting for a staff admin to confirm it, so the import
pages and "imports waiting for confirmation" have something to show. It goes through the kit's
own service with the kind the members app registers (the kit names the kind, never the app)."""

from django.contrib.auth import get_user_model

from .models import DataImport
from .services import data_import_create

DEMO_FILENAME = "past-members-demo.csv"
DEMO_FILE = (
    b"name,email,region,joined,job_title,organisation\n"
    b"Imogen Achterberg,imogen.achterberg@example.org,Wessex,2015-06-01,Improvement adviser,"
    b"Coastline Community Health\n"
    b"Rafael Okoro,rafael.okoro@example.org,North East and North Cumbria,2016-03-14,"
    b"Consultant nurse,Tyneford Hospitals\n"
    b"Sunita Barwell,sunita.barwell@example.org,Wales,2017-11-20,,\n"
)


def seed_imports() -> int:
    """The waiting import, once (by the demo staff admin). Returns how many were made."""
    if DataImport.objects.filter(filename=DEMO_FILENAME).exists():
        return 0
    admin = get_user_model().objects.get(email="admin@demo.q.example")
    data_import_create(actor=admin, kind_key="past-members", filename=DEMO_FILENAME, data=DEMO_FILE)
    return 1
