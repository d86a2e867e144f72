"""Privacy: erasure and export of a person, suppression, IP addresses, retention."""
