"""Sinau's benchmarks: a city-scale data generator, load scripts and the `make bench` runner (see README.md)."""
