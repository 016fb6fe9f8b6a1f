# A million lines: output is capped, with a notice, and the page stays responsive.
for i in range(10**6):
    print(i)
