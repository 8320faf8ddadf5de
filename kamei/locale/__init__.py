"""Message catalogs, one module per language (see ``kamei.i18n``)."""
