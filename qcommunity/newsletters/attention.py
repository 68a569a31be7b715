"""What the newsletters list on the staff home (`qcommunity.core.attention`), declared in each
feature's attention.py."""

from .imports import attention as imports_attention  # noqa: F401
from .sending import attention as sending_attention  # noqa: F401
from .showcase import attention as showcase_attention  # noqa: F401
