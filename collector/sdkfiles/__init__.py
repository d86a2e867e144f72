"""The browser SDK and its widgets add-on, served from their build directories."""
