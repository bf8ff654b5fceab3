"""onsite: a mock interviewer for ML, research and software interviews."""
