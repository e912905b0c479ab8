"""Exports: JSON shapes shared by the command line, the web and the API (serializers)."""
