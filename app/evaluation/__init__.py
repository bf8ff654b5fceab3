"""Evaluation of the offline (or LLM) interviewer and scorer on labelled answers."""
