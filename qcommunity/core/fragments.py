"""A small in-process cache of rendered template fragments, keyed by everything they show.

The key is a digest of the fragment's name and its complete input data, so a cached fragment is
always exactly what rendering those inputs would give: nothing to invalidate, nothing personal
unless the caller puts it in the inputs. Bounded (least recently used entries are dropped)."""

import hashlib
import threading
from collections import OrderedDict

from markupsafe import Markup

MAX_ENTRIES = 1024

_lock = threading.Lock()
_entries: OrderedDict[str, Markup] = OrderedDict()


def _key(name: str, inputs) -> str:
    return name + ":" + hashlib.sha256(repr(inputs).encode()).hexdigest()


def cached_fragment(name: str, inputs, caller) -> Markup:
    """Jinja: `{% call cached_fragment("panel", data) %}...{% endcall %}`. `inputs` must be plain
    data (dicts, lists, strings, numbers, booleans) that fully determines the block's output."""
    key = _key(name, inputs)
    with _lock:
        hit = _entries.get(key)
        if hit is not None:
            _entries.move_to_end(key)
            return hit
    html = Markup(caller())  # noqa: S704 (the block's own autoescaped output)
    with _lock:
        _entries[key] = html
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _entries.clear()
