"""Which installed faces each typeface role of the theme uses, in the order of its CSS stack.

Input: the theme's font roles (:data:`bulletin_kit.theme.FONTS`, :data:`~bulletin_kit.theme.LATIN`).
Output: :class:`RoleFonts` per role (:func:`resolve`, :func:`resolve_all`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..theme import FONTS, LATIN, FontRole
from .installed import InstalledFace, find_face

LATIN_ROLE = "latin"


@dataclass(frozen=True)
class RoleFonts:
    """The installed faces of one role's stack, in stack order (one face per installed family)."""

    role: str
    spec: FontRole
    faces: tuple[InstalledFace, ...]

    @property
    def used(self) -> InstalledFace | None:
        """Return the face Pango uses for the role's ordinary characters, or None if none is installed."""
        return self.faces[0] if self.faces else None

    @property
    def office_installed(self) -> bool:
        """Return whether the office font (or one of its other names) is installed."""
        wanted = {n.casefold() for n in (self.spec.office, *self.spec.aliases)}
        return self.used is not None and any(n.casefold() in wanted for n in self.used.names)

    @property
    def css_weight(self) -> int:
        """Return the CSS weight to ask for: the role's weight for a substitute, 400 for the office font.

        方正小标宋 is heavy by design and must not get a synthetic bold (GB/T 9704 §7.3.1); its free
        stand-in, Noto Serif CJK SC, needs its Bold face to look like it.
        """
        return 400 if self.office_installed else self.spec.weight

    def covers(self, char: str) -> bool:
        """Return whether any face of the stack has ``char``."""
        return any(face.covers(char) for face in self.faces)


def resolve(role: str, spec: FontRole) -> RoleFonts:
    """Return the installed faces of ``spec``'s stack, in order."""
    faces: list[InstalledFace] = []
    office = {n.casefold() for n in (spec.office, *spec.aliases)}
    for family in spec.stack:
        # The weight asked of the office font is 400; of a substitute, the role's weight.
        face = find_face(family, 400 if family.casefold() in office else spec.weight)
        if face is not None and face not in faces:
            faces.append(face)
    return RoleFonts(role, spec, tuple(faces))


def resolve_all() -> dict[str, RoleFonts]:
    """Return every font role resolved, plus the Latin role under :data:`LATIN_ROLE`."""
    roles = {name: resolve(name, spec) for name, spec in FONTS.items()}
    roles[LATIN_ROLE] = resolve(LATIN_ROLE, LATIN)
    return roles
