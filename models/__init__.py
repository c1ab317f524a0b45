"""The bundled model and its model card, shipped as package data (`cleaner.models`)."""
