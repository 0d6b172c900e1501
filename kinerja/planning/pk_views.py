"""Pages of the planning wing (filled in by the Planning issue)."""
