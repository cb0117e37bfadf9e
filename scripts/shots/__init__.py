"""The scenes scripts/screenshots.py takes: each a function that saves its screens into a folder."""
