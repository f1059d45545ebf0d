"""Storage: the SQLite store of rosters, indicators, scenarios, activity and accounts."""
