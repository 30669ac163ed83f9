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
