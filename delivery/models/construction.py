"""Filing, construction start, procurement facts, changes and supervision (R-BLD-1 … R-BLD-3, R-PRC-1/2)."""
