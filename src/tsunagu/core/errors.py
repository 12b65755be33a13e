"""Domain errors: services raise these; adapters (views, commands, API) translate them at the edge."""


class DomainError(Exception):
    """An error whose message is fit to show to a user (Japanese, via gettext)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValueParseError(DomainError):
    """A value written by a person (a date, an amount, a code) could not be read."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the user may not know it exists)."""


class AmbiguousName(DomainError):
    """A name matches more than one thing; the message lists the candidates."""

    def __init__(self, message: str, *, candidates: list[str], field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.candidates = candidates

