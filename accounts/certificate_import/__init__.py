"""J7: the operators' import of legacy certificate spaces from a CSV file.

Not a service: each row goes through a form (forms.CertificateSpaceRowForm), which no
service may import; importer.import_csv reads the file and writes the good rows.
"""

from accounts.certificate_import.importer import HEADER, BadFile, Report, import_csv

__all__ = ["HEADER", "BadFile", "Report", "import_csv"]
