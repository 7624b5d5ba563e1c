"""A small HTML reader for accessibility checks that need no browser: ids, labels, headings."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    form: int | None  # index of the enclosing <form>, if any
    text: str = ""


class Page(HTMLParser):
    """Every element with its attributes and enclosing form; label texts; h1 count."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._forms = 0
        self._form_stack: list[int] = []
        self._open_labels: list[Element] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "form":
            self._forms += 1
            self._form_stack.append(self._forms)
        element = Element(
            tag, {k: v or "" for k, v in attrs}, self._form_stack[-1] if self._form_stack else None
        )
        self.elements.append(element)
        if tag == "label":
            self._open_labels.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form_stack:
            self._form_stack.pop()
        if tag == "label" and self._open_labels:
            self._open_labels.pop()

    def handle_data(self, data: str) -> None:
        for label in self._open_labels:
            label.text += data

    # --- questions -------------------------------------------------------------------------
    def by_id(self) -> dict[str, list[Element]]:
        ids: dict[str, list[Element]] = {}
        for element in self.elements:
            if "id" in element.attrs:
                ids.setdefault(element.attrs["id"], []).append(element)
        return ids

    def duplicate_ids(self) -> list[str]:
        return sorted(i for i, found in self.by_id().items() if len(found) > 1)

    def controls(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in CONTROLS and e.attrs.get("type", "text") not in UNLABELLED_TYPES
        ]

    def labels_for(self, control: Element) -> list[Element]:
        control_id = control.attrs.get("id")
        return [
            e for e in self.elements if e.tag == "label" and control_id and e.attrs.get("for") == control_id
        ]

    def h1_count(self) -> int:
        return sum(1 for e in self.elements if e.tag == "h1")


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page
