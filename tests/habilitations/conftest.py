import pytest

from tests import companies as known


@pytest.fixture(autouse=True)
def companies(settings):
    """Every test here reads the register of tests/companies.py (see its docstring)."""
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    known.add_demo_companies()
    yield known
    known.KNOWN.clear()


@pytest.fixture
def spool(settings, tmp_path):
    """The letters of the test: SpoolLetters writes each one here after its commit (codes.letters)."""
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    return settings.LETTER_SPOOL_DIR
