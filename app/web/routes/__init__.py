"""HTML routes."""
