"""The one error a user may see: an Indonesian sentence, never a traceback."""


class InputError(Exception):
    """An unusable argument or input (SPEC §5: exit status 2).

    The message is one clear Indonesian line naming the file (and sheet/cell
    where there is one).
    """


class BusyError(Exception):
    """Another run holds the output folder (Indonesian message)."""
