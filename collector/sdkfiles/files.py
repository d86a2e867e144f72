"""Where the built browser files are, and which request names map to which file.

``/sdk/waypost.js`` always names the latest build, so browsers keep it only briefly;
``/sdk/waypost-<version>.js`` names one release and may be cached for a year. The version
is read from the SDK's ``package.json`` at request time, so a rebuild is served at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
SHORT_CACHE = "public, max-age=300"
LONG_CACHE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
}
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_VERSIONED = re.compile(r"waypost-(?P<version>[0-9A-Za-z.+-]+?)(?P<suffix>\.m?js(?:\.map)?)")


@dataclass(frozen=True)
class Directories:
    """The build output of the core (``sdk/js/dist``) and of the add-on (``widgets/dist``)."""

    sdk: Path
    widgets: Path
    package_json: Path


def locate(root: Path = ROOT) -> Directories:
    return Directories(
        sdk=root / "sdk" / "js" / "dist",
        widgets=root / "widgets" / "dist",
        package_json=root / "sdk" / "js" / "package.json",
    )


@dataclass(frozen=True)
class Served:
    path: Path
    cache_control: str


def sdk_version(directories: Directories) -> str | None:
    try:
        version = orjson.loads(directories.package_json.read_bytes()).get("version")
    except (OSError, orjson.JSONDecodeError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def core_file(directories: Directories, name: str) -> Served | None:
    """The file behind ``/sdk/<name>``: a latest name, or a versioned one of this release."""
    if name in ("waypost.js", "waypost.mjs", "waypost.js.map", "waypost.mjs.map"):
        return Served(directories.sdk / name, SHORT_CACHE)
    versioned = _VERSIONED.fullmatch(name)
    if versioned and versioned["version"] == sdk_version(directories):
        return Served(directories.sdk / f"waypost{versioned['suffix']}", LONG_CACHE)
    return None


def widget_file(directories: Directories, path: str) -> Served | None:
    """The add-on file behind ``/sdk/widgets/<path>``; None for names outside its directory."""
    segments = path.split("/")
    if not all(_SAFE_SEGMENT.fullmatch(segment) for segment in segments):
        return None
    if Path(path).suffix not in MEDIA_TYPES:
        return None
    return Served(directories.widgets.joinpath(*segments), SHORT_CACHE)
