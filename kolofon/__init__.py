"""kolofon: one Markdown manuscript to a typeset PDF, an EPUB 3, a booklet and an archival deposit."""

__version__ = "0.1.0"
