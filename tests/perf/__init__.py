"""Performance and scale-out tests: query counting, the two-instance setup behind nginx."""
