"""Inputs: the validated-input model, file readers, validation, datasets, samples.

Also the population cells and the commune crosswalk.
"""
