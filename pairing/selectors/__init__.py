"""See the modules in this package; each is owned by one feature."""
