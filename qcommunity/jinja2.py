"""The Jinja2 environment for site templates: our templates first, then the NHS.UK frontend port."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
)

from qcommunity.accounts.browsers import browser_name
from qcommunity.core import formatting
from qcommunity.core.forms import nhs_fields
from qcommunity.core.fragments import cached_fragment
from qcommunity.core.markdown import render_markdown
from qcommunity.core.paging import pagination_params


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [options["loader"], PackageLoader("nhsuk_frontend_jinja", package_path="templates")]
    )
    options["undefined"] = ChainableUndefined
    options["auto_reload"] = settings.JINJA2_AUTO_RELOAD
    options["cache_size"] = 2000
    options.setdefault("extensions", []).extend(["jinja2.ext.do", "jinja2.ext.i18n"])
    bytecode_dir = settings.JINJA2_BYTECODE_DIR
    if bytecode_dir:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        options["bytecode_cache"] = FileSystemBytecodeCache(str(bytecode_dir))
    env = Environment(**options)  # noqa: S701 (Django's backend turns autoescape on)
    # Wherever a count meets a noun: {{ ngettext("%(num)d review", "%(num)d reviews", n) }}
    # (new-style callables format %(num)d themselves and escape their result like any value).
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "nhs": nhs_fields,
            "pagination_params": pagination_params,
            "cached_fragment": cached_fragment,
        }
    )
    env.filters.update(
        {
            "uk_date": formatting.uk_date,
            "uk_datetime": formatting.uk_datetime,
            "uk_time": formatting.uk_time,
            "uk_when": formatting.uk_when,
            "browser_name": browser_name,
            "markdown": render_markdown,
        }
    )
    return env
