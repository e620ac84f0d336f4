"""Renaming a field of ours on an existing database, for the migration scripts of the suite's addons.

Odoo's upgrade would drop a field that disappeared from the code and create the new one empty; a rename
done before the module loads keeps everything that refers to the field:

- its column (values, foreign key, index), when the field is stored;
- its ``ir.model.fields`` row (so tracking values and ``ir.default`` rows, which point at that row, stay
  attached) and the row's xml id;
- the views of the model (ours are reloaded afterwards, but while a module loads Odoo validates each view
  it reads combined with the stored archs of the others; a user's own views keep working);
- the users' saved filters and favourites, and export templates of the model: the model's own field only
  (a bare name or the start of a path), never a field of the same name further down a path
  (``partner_id.currency_id``).

Every step checks the old state first, so a second run changes nothing. This file sits beside the version
folders, which are the only entries of ``migrations/`` Odoo reads as scripts; the scripts import it as
``odoo.addons.crm_core.migrations.field_rename``.
"""
import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)


def rename_fields(cr, model, renames, views=True):
    """Rename the fields ``renames`` (``{old: new}``) of ``model`` wherever the database knows them;
    ``views=False`` leaves the views alone, for a name other models' fields also carry in subviews
    (``currency_id``)."""
    table = model.replace(".", "_")
    for old, new in renames.items():
        cr.execute(SQL("SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s", model, new))
        if cr.rowcount:
            continue
        _logger.info("renaming field %s.%s to %s", model, old, new)
        if sql.column_exists(cr, table, old):
            _rename_column(cr, table, old, new)
        cr.execute(SQL("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", new, model, old))
        cr.execute(SQL("UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s",
                       f"field_{table}__{new}", f"field_{table}__{old}"))
        if views:
            _rename_in_views(cr, model, old, new)
        _rename_in_saved_searches(cr, model, old, new)


def rename_prefixed(cr, kind, names, old, new, table=None):
    """Rename constraints (``kind='CONSTRAINT'``, on ``table``) or indexes named ``old…`` to ``new…``."""
    for (name,) in names:
        target = new + name[len(old):]
        if kind == "CONSTRAINT":
            cr.execute(SQL("ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                           SQL.identifier(table), SQL.identifier(name), SQL.identifier(target)))
        else:
            cr.execute(SQL("ALTER INDEX %s RENAME TO %s", SQL.identifier(name), SQL.identifier(target)))


def _rename_column(cr, table, old, new):
    """The column, its foreign key (``<table>_<column>_fkey``) and its index (``<table>__<column>_index``)
    under the names Odoo gives them for the new field, so that it creates no second index."""
    sql.rename_column(cr, table, old, new)
    cr.execute(SQL("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s",
                   table, f"{table}_{old}_fkey"))
    rename_prefixed(cr, "CONSTRAINT", cr.fetchall(), f"{table}_{old}", f"{table}_{new}", table=table)
    # Odoo names a foreign key <table>_<column>_fkey, which two tables can share (crm_lead.lost_competitor_id
    # and crm_lead_lost.competitor_id): its one ir.model.constraint row goes to the first renamed, and Odoo
    # registers the other again when the module loads
    cr.execute(SQL("UPDATE ir_model_constraint SET name = %s WHERE name = %s"
                   " AND NOT EXISTS (SELECT 1 FROM ir_model_constraint WHERE name = %s)",
                   f"{table}_{new}_fkey", f"{table}_{old}_fkey", f"{table}_{new}_fkey"))
    cr.execute(SQL("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                   table, f"{table}__{old}_index"))
    rename_prefixed(cr, "INDEX", cr.fetchall(), f"{table}__{old}", f"{table}__{new}")


def _own_field(name):
    """A regular expression for ``name`` as the model's own field: a whole word, not the end of a longer
    name (``crm_lost_competitor_id``) nor a step further down a path (``partner_id.currency_id``)."""
    return rf"(?<![\w.]){name}\M"


def _rename_in_views(cr, model, old, new):
    # arch_db is translatable: a JSON object of the arch per language; a field name needs no escaping in it
    cr.execute(SQL(
        "UPDATE ir_ui_view SET arch_db = regexp_replace(arch_db::text, %s, %s, 'g')::jsonb"
        " WHERE model = %s AND arch_db::text ~ %s",
        _own_field(old), new, model, _own_field(old)))


def _rename_in_saved_searches(cr, model, old, new):
    pattern = _own_field(old)
    cr.execute(SQL(
        "UPDATE ir_filters SET domain = regexp_replace(domain, %s, %s, 'g'),"
        " context = regexp_replace(context, %s, %s, 'g'), sort = regexp_replace(sort, %s, %s, 'g')"
        " WHERE model_id = %s",
        pattern, new, pattern, new, pattern, new, model))
    if sql.table_exists(cr, "ir_exports_line"):
        # an export template's line is a path starting at the model: only its first step is the field
        cr.execute(SQL(
            "UPDATE ir_exports_line line SET name = regexp_replace(line.name, %s, %s)"
            " FROM ir_exports export WHERE export.id = line.export_id AND export.resource = %s",
            rf"^{old}(?=/|$)", new, model))
