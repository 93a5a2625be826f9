"""The one base of the errors a user can cause (a refused request, never a fault of the program).

Each carries a stable `code` (what the command line prints and --json returns as "reason") and says
itself in French or English with `message(lang)`. The command line catches UserFacingError in one place
(exit 2, SPEC §6) and the pages show `message(ui.lang())`; anything else is a fault and is not caught.
"""

from __future__ import annotations

# The exit statuses of SPEC §6, for every command and every import: done (or a dry run), rows rejected and
# nothing imported, refused as a whole. Here, not in importing/: the command line reads them without
# loading the import pipeline.
EXIT_OK, EXIT_REJECTED, EXIT_REFUSED = 0, 1, 2


class UserFacingError(Exception):
    """A request refused because of what the user asked or typed: a `code` and a sentence in FR or EN."""

    code: str = "refused"

    def message(self, lang: str = "fr") -> str:
        """The sentence to show; each subclass says its own in `lang`, this is what is left without one."""
        return str(self) or self.code
