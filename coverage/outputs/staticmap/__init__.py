"""Static maps for print and slides, drawn with matplotlib in a projected CRS (metres).

Everything is drawn in a projected coordinate system whose unit is the metre (the
analysis CRS when there is one, else the local UTM zone), so the scale bar is true.
Text uses DejaVu Sans (shipped with matplotlib), which covers every Vietnamese letter;
PDFs embed it as a TrueType (Type 42) font so the text stays selectable and searchable.

The functions here take plain GeoDataFrames and strings, not the report bundle, so the
map can be drawn for any province or any frame that follows the analysis contract.

Import the modules themselves: :mod:`~coverage.outputs.staticmap.model` (layouts, layers, text,
classes, projection), :mod:`~coverage.outputs.staticmap.draw` (the whole map and saving),
:mod:`~coverage.outputs.staticmap.inset` (a commune's small map); this file imports nothing.
"""
