"""The error every Intuit call raises: its message is plain words with a next step."""


class IntuitError(Exception):
    """Talking to Intuit failed; str(error) is safe to show and says what to do next."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code
