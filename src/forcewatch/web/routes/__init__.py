"""Routes, one module per noun. Each module exposes ``router``."""
