"""Action plans: built by the action-plan feature."""

from __future__ import annotations
