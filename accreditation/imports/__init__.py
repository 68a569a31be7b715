"""A standard's version brought in from a file (the import kit's pattern, `qcommunity.imports`).

The kit finds this package when the site starts (`autodiscover_modules("imports")`); importing
it registers the kind."""

from qcommunity.imports.kinds import register

from .kind import StandardVersionImport

register(StandardVersionImport())
