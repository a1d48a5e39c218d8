"""CPython test settings shared by every file in tests/."""

from hypothesis import settings

# No per-example deadline: CI shares 2 cores with a browser, and a slow example is no bug.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
