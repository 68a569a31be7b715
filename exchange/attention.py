"""What Q Exchange lists on the staff home (`qcommunity.core.attention`), registered by each
feature's `attention.py`."""

from .comments import attention as comments_attention  # noqa: F401
from .shortlist import attention as shortlist_attention  # noqa: F401
