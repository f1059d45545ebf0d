"""Optimisation: the capacitated covering model (HiGHS) and the deployment plans built on it."""
