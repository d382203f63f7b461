"""earlyhelp: a local authority's Early Help service for children and families."""
