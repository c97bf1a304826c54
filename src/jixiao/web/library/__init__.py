"""The indicator library: every indicator of every form, de-duplicated, with suggestions (issue 8)."""
