"""One place for the errors users see.

Each message names the value, the valid options and the fix; the CLI turns
these into ``click.ClickException`` and the API into a 4xx with ``detail``.
"""

from __future__ import annotations


class TvaersError(Exception):
    """Base class: anything raised from here is meant to be shown to a user."""


class UnreadableDocumentError(TvaersError):
    """A source file that cannot be turned into text; ingest reports and skips it."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelNotPreparedError(TvaersError):
    """The embedding model is missing or broken; ``tvaers model prepare`` fixes it."""


class IndexNotFoundError(TvaersError):
    """No index has been built yet."""


class StaleIndexError(TvaersError):
    """The index was built from another model, corpus or code version."""


class CorruptIndexError(TvaersError):
    """A file of the index is missing or does not match its manifest."""


class GoldSetError(TvaersError):
    """A gold set file that does not validate."""


class CatalogError(TvaersError):
    """``catalog.json`` is not valid; every document's citation depends on it."""


class ConfigFileError(TvaersError):
    """The config file named by TVAERS_CONFIG is not there."""
