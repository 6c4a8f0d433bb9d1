"""Benchmarks of the app against a stock gr.ChatInterface: `python bench/run.py --quick`."""
