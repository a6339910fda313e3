"""Benchmarks (a package so that `bench.load_settings` imports from the repository root).

Never put bench/ itself on sys.path: bench/matching.py would shadow the `matching` package.
"""
