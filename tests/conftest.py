"""CPython test settings shared by every file in tests/."""

import pytest
from hypothesis import settings

import catalogue

# No per-example deadline: CI shares 2 cores with a browser, and a slow example is no bug.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture(autouse=True)
def english():
    """Every test starts with the page's texts in English (py/lab/catalogue.py)."""
    catalogue.use_file("en")
