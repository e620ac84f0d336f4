"""The parts of ``scripts/crmctl.py``, one job per module.

- :mod:`.common`      paths, configuration, messages, ports
- :mod:`.clock`       a shifted clock for ``test --at`` (libfaketime)
- :mod:`.cluster`     the local PostgreSQL cluster, its replica, and every SQL statement crmctl sends
- :mod:`.odoo_server` Odoo command lines, the runtime configuration, ``run``/``stop``/``clean``/``status``
- :mod:`.runner`      ``test`` and ``testdb``: the steps, the log parsing, the tally
- :mod:`.bench`       ``bench`` and ``soak``: launchers of scripts/bench
- :mod:`.cli`         the command line

The package is named ``crmctl_lib`` so that it never shadows ``scripts/crmctl.py`` on import
(``scripts/check_translations.py`` and ``addons/conftest.py`` import that script).
"""
