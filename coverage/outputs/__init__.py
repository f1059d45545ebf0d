"""Outputs: interactive and static maps, meeting reports, workbooks and progress charts."""
