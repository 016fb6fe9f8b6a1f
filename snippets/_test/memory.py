# Asks for far more memory than a browser tab has: the run ends with an error, the next one works.
b = bytearray(2**31 - 1)
