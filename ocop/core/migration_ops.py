"""Migration operation: a field's own index dropped without rebuilding its table.

Django's AlterField(db_index=False) makes SQLite copy the whole table (and drop its triggers, e.g. the
listing's FTS5 triggers); dropping the index itself is all that is needed on either database. The
indexes are found by introspection, so PostgreSQL's extra ``…_like`` index of a text column goes too.
"""

from __future__ import annotations

import copy

from django.db import migrations


def field_index_dropped(
    app_label: str, model_name: str, field_name: str, field
) -> migrations.SeparateDatabaseAndState:
    """``field`` is the new definition (``db_index=False``); the state records it, the database loses
    the single-column, non-unique indexes on its column."""

    def drop(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        column = model._meta.get_field(field_name).column
        table = model._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if (
                info["index"]
                and not info["unique"]
                and not info["primary_key"]
                and info["columns"] == [column]
            ):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def restore(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        indexed = copy.copy(model._meta.get_field(field_name))
        indexed.db_index = True
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[indexed]))
        like = getattr(schema_editor, "_create_like_index_sql", None)
        statement = like(model, indexed) if like else None
        if statement is not None:
            schema_editor.execute(statement)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=field_name, field=field)],
        database_operations=[migrations.RunPython(drop, restore)],
    )


def keys_refolded(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """Stored folded keys brought to the folding rule with the final i/y merged (``ocop.core.text``).

    ``fold``'s new form of a text is its old form with ``final_y_as_i`` applied, word by word, and every key
    is made of folded words joined by spaces: the rule is applied to the stored keys themselves (no model
    code, no related rows), and only the rows that change are written. Backwards is a no-op: old keys with
    "i" written for "y" still find every name that the old rule found written with "i".
    """

    def forwards(apps, schema_editor):
        from ocop.core.text import final_y_as_i

        model = apps.get_model(app_label, model_name)
        manager = model._base_manager
        last = None
        while True:
            rows = manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            chunk = list(rows.values_list("pk", *fields)[:2_000])
            if not chunk:
                return
            last = chunk[-1][0]
            changed = []
            for pk, *keys in chunk:
                refolded = [final_y_as_i(key) for key in keys]
                if refolded != keys:
                    instance = model(pk=pk)
                    for name, value in zip(fields, refolded, strict=True):
                        setattr(instance, name, value)
                    changed.append(instance)
            if changed:
                manager.bulk_update(changed, list(fields), batch_size=500)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
