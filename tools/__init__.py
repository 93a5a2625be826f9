"""Helpers the tests and the benchmarks share to drive the app from outside (no part of the app itself:
cqic_budget never imports them)."""
