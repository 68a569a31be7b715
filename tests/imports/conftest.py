from .topics_kind import topics_kind  # noqa: F401
