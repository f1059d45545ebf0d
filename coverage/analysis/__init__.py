"""Analysis: geometry, reach, need, flags and the coverage analysis.

Of one province or of the whole country.
"""
