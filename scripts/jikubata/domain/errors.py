"""The one error a user may see: an Indonesian sentence, never a traceback."""


class InputError(Exception):
    """An unusable argument or input (README: status keluar 2).

    The message is one clear Indonesian line naming the file (and sheet/cell
    where there is one).
    """


class BusyError(Exception):
    """Another run holds the output folder (Indonesian message)."""


class DiskFullError(InputError):
    """An output could not be written because its disk (or the SQLite file's) is full (README: Keandalan).

    An `InputError` (exit status 2, one Indonesian line): the user frees space and runs again.
    """

    def __init__(self, folder: object):
        self.folder = folder
        super().__init__(f"ruang disk penuh di {folder}; kosongkan lalu jalankan lagi")
