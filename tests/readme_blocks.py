"""The README's shell blocks, as written, for the tests that run them (backup and restore)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def shell_blocks(section: str, readme: str | None = None) -> list[str]:
    """The ```sh blocks of one `## section` of the README, in order."""
    text = README.read_text() if readme is None else readme
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end != -1 else None]
    return re.findall(r"^```sh\n(.*?)^```$", body, flags=re.S | re.M)


def shell_block(section: str, command: str, readme: str | None = None) -> str:
    """The one block of the section that holds `command` (e.g. "pg_restore ")."""
    found = [block for block in shell_blocks(section, readme) if command in block]
    assert len(found) == 1, f"README '{section}': {len(found)} blocks hold {command!r}"
    return found[0]
