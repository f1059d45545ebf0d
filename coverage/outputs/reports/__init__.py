"""Meeting outputs: content, maps, briefing and team-sheet PDFs, slides, workbook."""
