"""A REFI-QDA project with the name list applied, for `export-qdpx --pseudonymise`.

Source texts get their mentions replaced (see `privacy.Pseudonymiser`), and every selection
is moved with its text (`privacy.OffsetMap`): REFI selections are offsets into the plain
text, and a pseudonym is rarely as long as the name it hides. Names of sources, cases and
users, case values, and notes are pseudonymised too; the codebook is left as it is.
"""

from __future__ import annotations

from lo_codebook.core.privacy import OffsetMap, Pseudonymiser, apply_replacements
from lo_codebook.interop import RefiProject


def pseudonymise_refi(refi: RefiProject, pseudonymiser: Pseudonymiser) -> int:
    """Apply the name list to `refi` in place; returns how many mentions in texts were replaced."""
    replaced = 0
    refi.name = pseudonymiser.label(refi.name) or refi.name
    for user in refi.users:
        user.name = pseudonymiser.label(user.name) or user.name
    for case in refi.cases:
        case.name = pseudonymiser.label(case.name) or case.name
        if case.description:
            case.description = pseudonymiser.apply(case.description)
        for key, value in case.variables.items():
            if isinstance(value, str):
                case.variables[key] = pseudonymiser.label(value) or value
    for source in refi.sources:
        source.name = pseudonymiser.label(source.name) or source.name
        if source.description:
            source.description = pseudonymiser.apply(source.description)
        mentions = pseudonymiser.find(source.text)
        replaced += len(mentions)
        if not mentions:
            continue
        offsets = OffsetMap(mentions)
        source.text = apply_replacements(source.text, mentions)
        for selection in source.selections:
            selection.start, selection.end = offsets.span(selection.start, selection.end)
            selection.name = " ".join(source.text[selection.start : selection.end].split())[:80]
            if selection.description:
                selection.description = pseudonymiser.apply(selection.description)
    for note in refi.notes:
        found = pseudonymiser.find(note.text)
        replaced += len(found)
        note.text = apply_replacements(note.text, found)
        note.name = pseudonymiser.apply(note.name)
    return replaced
