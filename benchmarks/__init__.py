"""Benchmarks, run by hand: each prints its figure and its ratio to a baseline from the same run."""
