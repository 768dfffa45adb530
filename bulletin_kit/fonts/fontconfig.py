"""The fontconfig rules that make LibreOffice show a Word file's office fonts in their free substitutes.

Input: the theme's font roles. Output: :func:`fontconfig_aliases`, the XML that
``scripts/setup.sh`` installs (``python -m bulletin_kit.fonts --fontconfig``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..theme import FONTS


def fontconfig_aliases(standalone: bool) -> str:
    """Return fontconfig rules that name each office font's free substitutes (小标宋 in bold).

    LibreOffice ignores the ``w:altName`` of a Word file's font table and asks fontconfig for
    仿宋_GB2312 and the rest; without these rules every role falls back to one CJK font. Each rule
    puts the role's :attr:`FontRole.free` fonts right after the office font (or one of its other
    names) that a program asks for, so an office font that is installed still wins.
    ``standalone=True`` gives a whole configuration that includes ``/etc/fonts/fonts.conf`` first,
    for ``FONTCONFIG_FILE`` (tests); ``standalone=False`` a snippet for ``/etc/fonts/conf.d/``.
    The rules edit only what a program asks for (``target="pattern"``): ``fc-list`` still lists the
    installed families, so :attr:`RoleFonts.office_installed` stays false without the office fonts.
    """
    rules = []
    for role in FONTS.values():
        families = "".join(f"<string>{escape(f)}</string>" for f in role.free)
        bold = '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
        for name in (role.office, *role.aliases):
            rules.append(
                f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                f'<edit name="family" mode="append" binding="strong">{families}</edit>'
                f"{bold if role.weight >= 700 else ''}</match>"
            )
    include = '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' if standalone else ""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<!-- bulletin-kit: the free fonts that stand in for the office fonts of its Word files\n"
        "     (written by python -m bulletin_kit.fonts with the fontconfig option) -->\n"
        f"<fontconfig>\n{include}" + "\n".join(rules) + "\n</fontconfig>\n"
    )
