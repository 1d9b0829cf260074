"""Screen recognition: pure functions over numpy images (no X, no side effects)."""
