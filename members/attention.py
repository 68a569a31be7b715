"""What the members app lists on the staff home (`qcommunity.core.attention`), registered by
each feature's `attention.py`."""

from .joining import attention as joining_attention  # noqa: F401
from .panels import attention as panels_attention  # noqa: F401
