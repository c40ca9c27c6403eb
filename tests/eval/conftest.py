from __future__ import annotations

import pytest
from toy_corpus import toy_docs

from tvaers.contracts import Document


@pytest.fixture
def docs() -> list[Document]:
    return toy_docs()
