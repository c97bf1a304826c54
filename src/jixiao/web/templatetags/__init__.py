"""Template tags of the pages (``{% load jixiao_tags %}``)."""
