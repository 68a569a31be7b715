"""The layer rules hold, and their checks bite.

- `lint-imports` (contracts in pyproject.toml, run by `make test`): the site-wide parts never
  import the domain apps except the named wiring modules; inside `members`, a feature imports
  only the features below it (panels -> joining -> directory, coffee -> directory). A test here
  adds a module that breaks a rule to a copy of the tree and sees the check fail.
- No module imports another app's underscore (private) names: checked here over the source.
"""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qcommunity", "members", "exchange", "labs", "accreditation", "bench")
LINT = Path(sys.executable).with_name("lint-imports")


def app_of(module: str) -> str:
    """The app a module belongs to: a domain app by its top package, a site-wide part by its
    second (qcommunity.newsletters.issues.services -> qcommunity.newsletters)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "qcommunity" and len(parts) > 1 else parts[0]


def source_modules(root: Path = ROOT):
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(root).with_suffix("")
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def private_imports_across_apps(root: Path = ROOT) -> list[str]:
    found = []
    for module, path in source_modules(root):
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                target = node.module or ""
            if app_of(target) == app_of(module):
                continue
            named = [alias.name for alias in node.names]
            if any(name.startswith("_") for name in named) or any(
                part.startswith("_") and not part.startswith("__") for part in target.split(".")
            ):
                found.append(f"{module} imports {', '.join(named)} from {target}")
    return found


def test_no_module_imports_another_apps_private_names():
    assert private_imports_across_apps() == []


def test_the_private_names_check_catches_a_breach(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("migrations")
        )
    (tmp_path / "exchange" / "probe.py").write_text(
        "from members.joining.services import _lock_application\n"
    )
    assert private_imports_across_apps(tmp_path) == [
        "exchange.probe imports _lock_application from members.joining.services"
    ]


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layer_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("where", "line", "contract"),
    [
        ("qcommunity/core/probe.py", "import members.models\n", "never import the domain apps"),
        ("exchange/probe.py", "import bench.seed\n", "imports the benchmarks"),
        (
            "members/directory/probe.py",
            "import members.joining.models\n",
            "features depend only downward",
        ),
    ],
)
def test_breaking_a_layer_rule_fails_the_check(tmp_path, where, line, contract):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package)
    (tmp_path / where).write_text(line)
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert contract in " ".join(result.stdout.split())


# One rule for URL names ------------------------------------------------------------------------


def namespaces(patterns, outer=""):
    """Every namespace a URL list reaches, nested ones joined with ":"."""
    from django.urls import URLResolver

    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name = f"{outer}:{inner}" if outer and inner else inner or outer
            if inner:
                found.add(name)
            found |= namespaces(pattern.url_patterns, name)
    return found


def namespace_rule_breaches(patterns) -> list[str]:
    """Namespaces that are not an installed app's label or `<label>-staff`, or are nested."""
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}
    allowed = labels | {f"{label}-staff" for label in labels}
    return sorted(ns for ns in namespaces(patterns) if ns not in allowed)


def test_every_url_namespace_is_an_app_or_its_staff_pages():
    from django.urls import get_resolver

    assert namespace_rule_breaches(get_resolver().url_patterns) == []


def test_the_namespace_rule_catches_a_feature_namespace():
    from django.urls import include, path

    from members.coffee import urls as coffee

    breach = [path("me/coffee/", include((coffee.urlpatterns, "coffee")))]
    nested = [
        path("", include(([path("x/", include((coffee.urlpatterns, "members")))], "exchange")))
    ]
    assert namespace_rule_breaches(breach) == ["coffee"]
    assert namespace_rule_breaches(nested) == ["exchange:members"]
