"""Files shipped inside the package: letter and email templates, the workbook's VBA source.

They are read with `importlib.resources`, so an installed wheel finds them
as well as a checkout does. An office that edits its own letter templates
keeps them in a folder of its own and points `JIKUBATA_TEMPLATES` (or the
`Folder Templat` setting) at it; files missing there fall back to the
copies shipped here.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Optional

ENV_TEMPLATES = "JIKUBATA_TEMPLATES"


def _shipped(folder: str) -> Path:
    # pip installs packages unzipped, so the shipped folder is a real directory.
    return Path(str(resources.files(__name__).joinpath(folder)))


def shipped_templates_dir() -> Path:
    """The templates installed with the package (`jikubata/resources/templates/`)."""
    return _shipped("templates")


def vba_dir() -> Path:
    """The VBA source of the workbook's own module (`jikubata/resources/vba/`)."""
    return _shipped("vba")


def template_path(name: str, override: Optional[Path] = None) -> Path:
    """The template `name`: from the override folder when it holds one, else the shipped copy.

    `override` (a setting) wins over `$JIKUBATA_TEMPLATES`, which wins over the package.
    """
    for folder in (override, os.environ.get(ENV_TEMPLATES)):
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    return shipped_templates_dir() / name


def copy_templates(folder: os.PathLike | str) -> tuple[list[Path], list[Path]]:
    """Copy the shipped templates into `folder` for an administrator to edit; (copied, kept).

    A file already in `folder` is kept as it is: it may hold the office's own edits.
    """
    from jikubata.adapters.atomic import write_bytes_atomic

    folder = Path(folder)
    copied, kept = [], []
    for source in sorted(shipped_templates_dir().iterdir()):
        if not source.is_file():
            continue
        target = folder / source.name
        if target.exists():
            kept.append(target)
        else:
            write_bytes_atomic(target, source.read_bytes())
            copied.append(target)
    return copied, kept
