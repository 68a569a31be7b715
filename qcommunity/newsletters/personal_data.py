"""What the newsletters hold about a person (qcommunity.privacy), declared in
`issues/personal_data.py`."""

from .issues import personal_data as issues_personal_data  # noqa: F401
