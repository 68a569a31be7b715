"""What the members app holds about a person (qcommunity.privacy.registry), declared in each
feature's `personal_data.py`; the choices made on deletion are explained in
`members.directory.personal_data`."""

from .coffee import personal_data as coffee_personal_data  # noqa: F401
from .directory import personal_data as directory_personal_data  # noqa: F401
from .joining import personal_data as joining_personal_data  # noqa: F401
from .panels import personal_data as panels_personal_data  # noqa: F401
