# Never ends: the Stop button must end it.
n = 0
while True:
    n += 1
