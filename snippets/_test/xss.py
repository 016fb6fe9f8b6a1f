# Output that looks like HTML is shown as text and never runs.
print("<script>alert(1)</script>")
print('<img src=x onerror="alert(2)">')
print("<b>not bold</b> &amp; not an entity")
