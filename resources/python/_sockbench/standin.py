"""The stand-in for the socket module's C layer (placeholder: the real one forwards every
call to the workbench)."""


def install(dispatcher):
    pass
