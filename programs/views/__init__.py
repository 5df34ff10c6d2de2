"""Pages of the programs app, one module per area (structure, ranking and strategy, delivery, status reports)."""
