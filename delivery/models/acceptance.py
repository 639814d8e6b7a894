"""Monitoring reports, trial operation, acceptance and evaluation (R-BLD-4, R-ACC-1 … R-ACC-4, R-EVA-1/2)."""
