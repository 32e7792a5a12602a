"""The process designer's studio: what its pages need from the engine."""
