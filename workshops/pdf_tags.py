"""Tidy WeasyPrint's PDF/UA structure tree before the PDF is written (a `write_pdf` finisher).

Why: WeasyPrint wraps every run of text in its own /Span structure element, which grew the
action-plan PDF by 60 %; a Span with no attributes says nothing a screen reader uses, so its
marked content goes straight into its parent (a paragraph, a cell, a heading), the usual way a
tagged PDF is written. And WeasyPrint tags the running footer and page numbers as text of no
element in the tree; PDF/UA-1 wants them marked as pagination artifacts, which a screen reader
skips, so they never interrupt the reading order.

Works on the pydyf objects of the document (references are "N 0 R" bytes); a WeasyPrint
upgrade that changes them fails tests/test_pdf_accessibility.py, never silently.
"""

from __future__ import annotations

import pydyf

FOOTER_ARTIFACT = pydyf.Dictionary({"Type": "/Pagination", "Subtype": "/Footer"})
SPAN_KEYS = {"Type", "S", "K", "Pg", "P"}
GROUPS = {"/Span", "/NonStruct", "/Div"}  # no meaning of their own: their content joins the parent


class _Freed(pydyf.Object):
    """A slot left by a removed element: object numbers are baked into every reference."""

    @property
    def data(self) -> bytes:
        return b"null"


def _number(reference) -> int:
    return int(bytes(reference).split(b" ", 1)[0]) if isinstance(reference, bytes | str) else -1


def _reachable(objects: list, root) -> set[int]:
    """Numbers of the structure elements the tree's root reaches."""
    seen: set[int] = set()
    stack = [_number(kid) for kid in root["K"]]
    while stack:
        number = stack.pop()
        if number in seen or not 0 <= number < len(objects):
            continue
        element = objects[number]
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        seen.add(number)
        kids = element.get("K", ())
        stack.extend(_number(kid) for kid in kids if not isinstance(kid, int))
    return seen


def _mark_as_artifacts(stream, mcids: set[int]) -> set[int]:
    """Turn the marked content of these MCIDs into footer artifacts; the ones found."""
    found = set()
    items = stream.stream
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("MCID") in mcids and index and items[index - 1] == "/Span":
            found.add(item["MCID"])
            items[index - 1] = "/Artifact"
            items[index] = FOOTER_ARTIFACT
    return found


def tidy_structure(document, pdf) -> None:
    """The finisher: fold plain Spans into their parents, footers become artifacts."""
    reference = pdf.catalog.get("StructTreeRoot")
    if reference is None:
        return
    objects = pdf.objects
    root = objects[_number(reference)]
    document_element = objects[_number(root["K"][0])]
    reachable = _reachable(objects, document_element)
    pages = [objects[number] for number in pdf.pages["Kids"][::3]]
    nums = objects[_number(root["ParentTree"])]["Nums"]
    folded: dict[int, dict[bytes, int]] = {}  # parent number: {span reference: mcid}
    every_orphan_found = True
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(value, pydyf.Array):
            continue  # an annotation's entry
        orphans: set[int] = set()
        for mcid, ref in enumerate(value):
            number = _number(ref)
            element = objects[number]
            if number not in reachable:
                orphans.add(mcid)
                continue
            if element["S"] != "/Span" or set(element) - SPAN_KEYS or list(element["K"]) != [mcid]:
                continue
            parent_number = _number(element["P"])
            parent = objects[parent_number]
            if parent.get("Pg") != element["Pg"] or parent["S"] == "/Link":
                continue
            folded.setdefault(parent_number, {})[bytes(element.reference)] = mcid
            value[mcid] = parent.reference
            reachable.discard(number)
            objects[number] = _Freed()
            objects[number].number = number
        if orphans:
            contents = objects[_number(pages[key]["Contents"])]
            found = _mark_as_artifacts(contents, orphans)
            every_orphan_found &= found == orphans
            for mcid in found:
                value[mcid] = "null"
    for parent_number, spans in folded.items():
        parent = objects[parent_number]
        parent["K"] = pydyf.Array(
            kid if isinstance(kid, int) else spans.get(bytes(kid), kid) for kid in parent["K"]
        )
    _fold_groups(objects, reachable, pages, nums)
    _scope_headers(objects, reachable)
    if every_orphan_found:  # the footers' elements: nothing refers to them any more
        for number, element in enumerate(objects):
            if isinstance(element, dict) and element.get("Type") == "/StructElem" and number not in reachable:
                if element is not document_element:
                    objects[number] = _Freed()
                    objects[number].number = number


def _fold_groups(objects: list, reachable: set[int], pages: list, nums) -> None:
    """Anonymous boxes and divs (NonStruct, Div, a Span left over) hand their kids to their parent.

    Children are numbered after their parents, so going down the numbers folds bottom-up."""
    page_of = {bytes(page.reference): index for index, page in enumerate(pages)}
    arrays = {key: value for key, value in zip(nums[::2], nums[1::2], strict=True)}
    for number in sorted(reachable, reverse=True):
        element = objects[number]
        if element["S"] not in GROUPS or set(element) - SPAN_KEYS:
            continue
        parent = objects[_number(element["P"])]
        kids = list(element["K"])
        if parent["S"] in ("/Link", "/Document") or (
            any(isinstance(kid, int) for kid in kids) and parent.get("Pg") != element["Pg"]
        ):
            continue
        own = bytes(element.reference)
        at = [bytes(kid) if not isinstance(kid, int) else kid for kid in parent["K"]].index(own)
        parent["K"][at : at + 1] = kids
        for kid in kids:
            if isinstance(kid, int):
                arrays[page_of[bytes(element["Pg"])]][kid] = parent.reference
            else:
                objects[_number(kid)]["P"] = parent.reference
        reachable.discard(number)
        objects[number] = _Freed()
        objects[number].number = number


def _scope_headers(objects: list, reachable: set[int]) -> None:
    """Header cells say whether they head a column or a row (PDF/UA's /Scope), instead of
    WeasyPrint's ID on every header and Headers list on every cell: the same for our tables,
    whose header rows are in <thead> and whose row headers are <th scope="row"> in the body."""
    for number in reachable:
        element = objects[number]
        if element["S"] not in ("/TH", "/TD"):
            continue
        attributes = element.get("A")
        if attributes is None:
            continue
        attributes.pop("Headers", None)
        if element["S"] == "/TH":
            element.pop("ID", None)
            row = objects[_number(element["P"])]
            section = objects[_number(row["P"])]["S"]
            attributes["Scope"] = "/Column" if section == "/THead" else "/Row"
