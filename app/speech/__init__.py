"""Speech: recorded answers transcribed, the interviewer spoken, and how the candidate spoke."""
