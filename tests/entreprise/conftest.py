import pytest


@pytest.fixture(autouse=True)
def _known_companies(companies):
    """Every test here reads the register of tests/companies.py (tests/conftest.py's ``companies``)."""
