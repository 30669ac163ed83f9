"""The portal's writes: ``listing`` (the public listing, its read model), ``feedback`` (community reports and
their answers)."""
