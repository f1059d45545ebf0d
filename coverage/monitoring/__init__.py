"""Monitoring: activity reports, progress against targets and measured throughput."""
