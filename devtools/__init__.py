"""Helpers for the project's own tests and benchmarks (not imported by the app)."""
