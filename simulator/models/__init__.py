"""The one seam for language models, and token budgets."""
