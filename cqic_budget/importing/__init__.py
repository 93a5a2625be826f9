"""Expense import: recognise a file, check it is safe, read, map, normalise, validate, de-duplicate, commit.

One module per step; `service` is the entry point (the command line and the Upload page call it).
"""
