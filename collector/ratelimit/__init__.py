"""Rate limits: token buckets per write key, client address and secret key."""
