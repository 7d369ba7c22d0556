"""The company's data kept in its dossier (SPEC §5): bank accounts (R-BANK-1)."""
