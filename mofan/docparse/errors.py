"""Why a document cannot be read, in words the user sees."""


class DocumentError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
