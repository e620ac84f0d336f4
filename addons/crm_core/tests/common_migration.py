import importlib.util

from odoo.tools.misc import file_path


def load_migration(addon, version, name):
    """The migration script ``<addon>/migrations/<version>/<name>.py`` as a module (its name has a dash,
    so it cannot be imported), for tests that run it on an old state rebuilt in their transaction."""
    spec = importlib.util.spec_from_file_location(
        f"_{addon}_migration_{version.replace('.', '_')}_{name.replace('-', '_')}",
        file_path(f"{addon}/migrations/{version}/{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
