# An error raised inside the library, called from a function in the cell.
from mlsd import show


def summarise(rows):
    show.table(rows)


print("before the error")
summarise([])
