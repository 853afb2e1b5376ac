"""The region picker: cascading selects city → county → township → village, limited to the user's jurisdiction,
instead of a 12-digit region code typed by hand.

Every select is named like the form field and lists the children of the region chosen above it; its first option
("全部/请选择") carries the parent's own code. So the last value posted under the field's name is always the deepest
choice (``QueryDict.get`` returns the last one), and a form with a ``RegionCodeField`` reads it unchanged. With HTMX a
change re-renders the picker (``web:region_picker``) with the next level's children; the services still check that
the code is inside the user's area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.regions.choices import LEVEL_ORDER, PREFIX_LENGTH, Level
from doudi.regions.models import Region

NAME_RE = re.compile(r"^[a-z][a-z_]{0,29}$")
ACTIONS = {Action.VIEW, Action.CHANGE, Action.DECIDE, Action.EXPORT}


@dataclass
class Select:
    level_label: str
    parent_code: str  # value of the "all / choose" option; "" when choosing among several granted regions
    options: list[Region]
    chosen: str = ""


@dataclass
class Picker:
    name: str
    deepest: str
    action: str
    value: str = ""  # the code the form will receive
    fixed: Region | None = None  # the user's single granted region, shown as text
    selects: list[Select] = field(default_factory=list)

    @property
    def query(self) -> str:
        return f"name={self.name}&deepest={self.deepest}&action={self.action}"


def _code(prefix: str) -> str:
    return prefix.ljust(12, "0")


def _in_scope(code: str, prefixes: list[str]) -> bool:
    return bool(code) and any(code.startswith(p) for p in prefixes)


def build_picker(user, *, name: str = "region", value: str = "", deepest: str = Level.VILLAGE,
                 action: str = Action.VIEW) -> Picker:
    """The picker for ``user`` with ``value`` chosen (ignored unless it is a region in the user's area)."""
    deepest = deepest if deepest in PREFIX_LENGTH else Level.VILLAGE
    action = action if action in ACTIONS else Action.VIEW
    picker = Picker(name=name, deepest=deepest, action=action)
    prefixes = region_prefixes(user, action)
    tops = list(Region.objects.filter(code__in=[_code(p) for p in prefixes]).order_by("code"))
    tops = [t for t in tops if LEVEL_ORDER.index(t.level) <= LEVEL_ORDER.index(deepest)]
    if not tops:
        return picker
    value = value if _in_scope(value, prefixes) else ""
    # The chosen region with every region above it, in one read (their codes are its code's prefixes, padded).
    ancestors = {r.code: r for r in Region.objects.filter(
        code__in={_code(value[:n]) for n in PREFIX_LENGTH.values()})} if value else {}
    chosen = ancestors.get(value)
    if chosen is not None and LEVEL_ORDER.index(chosen.level) > LEVEL_ORDER.index(deepest):
        chosen = None
    if len(tops) == 1:
        picker.fixed = tops[0]
        top = tops[0]
    else:
        top = next((t for t in tops if chosen is not None and chosen.code.startswith(t.prefix)), None)
        picker.selects.append(Select(level_label="", parent_code="", options=tops, chosen=top.code if top else ""))
        if top is None:
            return picker
    picker.value = (chosen or top).code
    # Walk down from the granted region to the chosen one, then offer the next level's children.
    chain = [top]
    if chosen is not None and chosen.code != top.code:
        below = LEVEL_ORDER[LEVEL_ORDER.index(top.level) + 1: LEVEL_ORDER.index(chosen.level) + 1]
        codes = [_code(chosen.code[: PREFIX_LENGTH[lvl]]) for lvl in below]
        chain += [ancestors[c] for c in codes if c in ancestors]
    # The children of every region on the way down, in one read.
    children_of: dict[str, list[Region]] = {}
    for r in Region.objects.filter(parent_id__in=[n.code for n in chain if n.level != deepest]).order_by("code"):
        children_of.setdefault(r.parent_id, []).append(r)
    for i, node in enumerate(chain):
        if node.level == deepest:
            break
        children = children_of.get(node.code, [])
        if not children:
            break
        nxt = chain[i + 1].code if i + 1 < len(chain) else ""
        label = Level(LEVEL_ORDER[LEVEL_ORDER.index(node.level) + 1]).label
        picker.selects.append(Select(level_label=str(label), parent_code=node.code, options=children, chosen=nxt))
    return picker
