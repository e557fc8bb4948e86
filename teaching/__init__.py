"""The teacher's tools, beside the book and outside the learner's package: `make assignments`."""
