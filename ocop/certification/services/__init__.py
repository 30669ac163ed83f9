"""Certification's writes: ``events`` (recognition and revocation decisions, the products' histories),
``certificates`` (the certificates those histories imply), ``reminders`` (expiry notices)."""
