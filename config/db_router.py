"""Read replica routing (docs/deployment.md): when ``DATABASE_REPLICA_URL`` is set (production settings add a
``replica`` database), reads of the public portal's read model and of reference data go to the replica;
everything else — and every write, migration and transaction — stays on the primary.

Only models whose readers tolerate a replica a few seconds behind are listed: the portal listing (rebuilt
after each write, public pages are cached for minutes anyway) and the administrative units / product
classification (reference data loaded by `ocop init`).
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"
REPLICA_MODELS = {
    ("portal", "portallisting"),
    ("geography", "adminunit"),
    ("products", "classification"),
    ("products", "productgroup"),
    ("products", "productset"),
}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (model._meta.app_label, model._meta.model_name) in REPLICA_MODELS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from both relate freely

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
