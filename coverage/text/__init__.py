"""Text: the vi/en message catalogues, i18n formatting and text normalisation.

Importing the package registers every catalogue.
"""

from coverage.text import (  # noqa: F401  (each catalogue registers its messages on import)
    accounts,
    activity,
    crosswalk,
    edits,
    i18n,
    inputs,
    language,
    maps,
    plan,
    population,
    reports,
    screens,
    sources,
    textnorm,
    ui,
)
