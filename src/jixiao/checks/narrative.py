"""Rules: to be written in this session."""
