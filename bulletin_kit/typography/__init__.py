"""Pure Chinese typography rules shared by both writers and the lint (no WeasyPrint, no python-docx).

- :mod:`.chars`: which characters are set full-width (:func:`~.chars.is_cjk`), which take no room.
- :mod:`.line_breaking`: clreq's line-start/line-end rules as invisible break controls.
- :mod:`.width`: the one width measure of a text, in em.
- :mod:`.justify`: inter-character justification arithmetic (where space goes, how much).

The PDF writer applies :mod:`.justify` through :mod:`bulletin_kit.writers.weasyprint_hook`.
"""
