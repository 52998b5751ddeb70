"""Synthetic data for benchmarks (`manage.py generate_synthetic`): word lists and row builders.

The rows are plain tuples in the column order of `rows.COLUMNS`, written to PostgreSQL with COPY
by the command; nothing here touches the database.
"""
