"""The extraction evaluation harness: `python -m tests.eval.run` (make eval)."""
