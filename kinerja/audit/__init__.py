"""The audit trail: one service every mutation calls."""
