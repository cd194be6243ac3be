"""Spreadsheet imports: safe reading, row-addressed validation, preview, all-or-nothing writes."""
