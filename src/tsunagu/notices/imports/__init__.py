"""Spreadsheet import of notices and awards: readers, the column templates, row cleaning and the batch pipeline."""
