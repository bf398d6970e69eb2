"""What every full screen of the app shares: its keys, its palette target, the UI's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen
from textual.widgets import DataTable

from lo_codebook.tui import keymap

if TYPE_CHECKING:
    from lo_codebook.tui.app import CodebookApp


class CodebookScreen(keymap.LocalizedBindings, Screen[None]):
    """A full screen of lo-codebook.

    `SCOPE` names its part of the action table (`keymap.MAIN`, `keymap.MEMOS`, ...): the screen's key bindings
    are that scope's, and the command palette runs that scope's actions on the screen. The
    footer shows the keys in the UI's language (`keymap.LocalizedBindings`).
    """

    SCOPE: ClassVar[str] = ""
    app: CodebookApp

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # before Textual merges the class's BINDINGS (in its own __init_subclass__)
        if cls.__dict__.get("SCOPE") and "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = keymap.bindings(cls.SCOPE)
        super().__init_subclass__(**kwargs)

    def palette_targets(self) -> dict[str, Any]:
        """The node the palette runs each scope's actions on: this screen, for its own."""
        return {self.SCOPE: self}


class TableScreen(CodebookScreen):
    """A screen built around one data table (`TABLE`: its id)."""

    TABLE: ClassVar[str] = ""

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(f"#{self.TABLE}", DataTable)


__all__ = ["CodebookScreen", "TableScreen"]
