"""The Python distributions qbdesk runs on and their licences, read from the installed metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.metadata import Distribution, PackageNotFoundError, distribution

# Files in a .dist-info folder that hold licence terms or the notices a licence asks to keep.
LICENCE_FILE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT|AUTHORS)", re.IGNORECASE)
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
LICENCE_CLASSIFIER = "License :: "
# PySide6 ships its licence as an expression only; its terms are the Qt section of the notices.
QT_DISTRIBUTIONS = frozenset({"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"})


@dataclass(frozen=True)
class LicenceEntry:
    """One distribution's licence: its name as declared, and the texts shipped with its metadata."""

    name: str
    version: str
    licence: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (file name, text)

    @property
    def is_qt(self) -> bool:
        return normalised(self.name) in QT_DISTRIBUTIONS


def normalised(name: str) -> str:
    """A distribution name compared the way package indexes compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _applies(marker: str) -> bool:
    """Whether a requirement's environment marker holds here; requirements of extras never do."""
    if not marker.strip():
        return True
    if re.search(r"\bextra\b", marker):
        return False
    try:
        from packaging.markers import Marker
    except ImportError:  # without `packaging`, keep what is installed: a bundle would carry it anyway
        return True
    return Marker(marker).evaluate()


def runtime_requirements(dist: Distribution) -> list[str]:
    """The names of the distributions this one needs at run time on this platform (no extras)."""
    names = []
    for spec in dist.requires or []:
        requirement, _, marker = spec.partition(";")
        match = REQUIREMENT_NAME.match(requirement)
        if match and _applies(marker):
            names.append(match.group(1))
    return names


def runtime_closure(root: str = "qbdesk") -> list[Distribution]:
    """Every installed distribution the root needs at run time, directly or not, without the root itself."""
    seen: dict[str, Distribution] = {}
    pending = runtime_requirements(distribution(root))
    while pending:
        name = pending.pop()
        if normalised(name) in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # required only on another platform, or not installed: not bundled either
        seen[normalised(name)] = dist
        pending.extend(runtime_requirements(dist))
    return sorted(seen.values(), key=lambda d: normalised(d.metadata["Name"]))


def declared_licence(dist: Distribution) -> str:
    """The licence a distribution declares: its SPDX expression, its License field or its classifiers."""
    metadata = dist.metadata
    expression = metadata.get("License-Expression")
    if expression:
        return expression.strip()
    field_value = (metadata.get("License") or "").strip()
    if field_value and "\n" not in field_value and len(field_value) < 100:
        return field_value
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in metadata.get_all("Classifier") or [] if c.startswith(LICENCE_CLASSIFIER)]
    if classifiers:
        return " / ".join(classifiers)
    return "see the licence text" if field_value else "not declared"


def licence_texts(dist: Distribution) -> list[tuple[str, str]]:
    """The licence files a distribution's metadata names or carries, and a full text in its License field."""
    texts: list[tuple[str, str]] = []
    for name in dist.metadata.get_all("License-File") or []:
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name)
        if text and text.strip():
            texts.append((name, text))
    if not texts:
        for path in dist.files or []:
            in_metadata = path.parts and path.parts[0].endswith((".dist-info", ".egg-info"))
            if in_metadata and LICENCE_FILE_NAME.search(path.name):
                text = path.read_text(encoding="utf-8", errors="replace")
                if text.strip():
                    texts.append((path.name, text))
    field_value = (dist.metadata.get("License") or "").strip()
    if not texts and "\n" in field_value:
        texts.append(("License", field_value))
    return texts


def licence_entry(dist: Distribution) -> LicenceEntry:
    metadata = dist.metadata
    return LicenceEntry(metadata["Name"], metadata["Version"], declared_licence(dist), licence_texts(dist))


def without_licence(entries: list[LicenceEntry]) -> list[str]:
    """The distributions whose licence terms the notices could not carry."""
    return [e.name for e in entries if not e.texts and not e.is_qt]
