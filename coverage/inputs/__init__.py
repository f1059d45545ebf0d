"""Inputs: the validated-input model, file readers, validation, datasets, samples, population cells and the commune crosswalk."""
