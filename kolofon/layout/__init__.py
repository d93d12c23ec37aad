"""The print layout, one path for every edition with pages.

Every part of the book is laid out alone by WeasyPrint in the worker processes (engine.py): each
chapter (chapters open on a right-hand page, so a chapter's pages do not depend on where it falls), the
notes, the index, the front matter, and the running heads and folios of each part ("furniture", laid
out once the page numbers are known). Parts are cached by their HTML and the files it names (part.py),
scheduled so that no core idles (schedule.py), placed and numbered (typesetter.py; a long book's notes
in pieces, endnotes.py), and joined as they are read (assemble.py, with ../pdfstream.py).
The PDF, the print edition, the booklet and the PDF/A copy are all made from these pages."""
