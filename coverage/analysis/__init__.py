"""Analysis: geometry, reach, need, flags and the coverage analysis of one province or the country."""
