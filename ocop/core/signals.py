"""Notifications that domain services send and that other apps handle, so that no domain app imports them.

``products_changed``: the named products changed in the current transaction — their own fields, their
entity, or their recognition events and certificates. Sent by the writing service with ``product_ids``
(``notify_products_changed``). The portal app keeps its listing read model and page cache current from it
(``ocop/portal/apps.py``). It is sent synchronously, inside the writer's transaction, on purpose: the listing
is part of the same commit, so no reader sees a product's new events beside its old listing row.

``job_failed``: a background job (``ocop.core.jobs``) ended failed — its handler raised or refused
(``JobFailed``), or it was given up after dying MAX_ATTEMPTS times — sent with ``job`` (its final
``core.Job`` row), outside the handler's code. An app whose own records follow a job marks them (the
recognition import's ImportJob: ``ocop/imports/apps.py``); no domain app is named here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

products_changed = Signal()
job_failed = Signal()


def notify_products_changed(*, product_ids: Iterable[int]) -> None:
    """Tell the read models that these products changed (no-op for an empty set)."""
    ids = sorted({int(pk) for pk in product_ids})
    if ids:
        products_changed.send(sender=None, product_ids=ids)
