"""Q Exchange's items on the home page (registered by `exchange.browse.home`)."""

from .browse import home  # noqa: F401
