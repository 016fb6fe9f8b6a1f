# A time plan for a 45-minute ML system design interview, step by step.
# It refines the four phases of the interview plan (clarify, data, model, ship).
# Change the minutes and run again: the checks below tell you if the plan still adds up.
from mlsd import show

INTERVIEW_MINUTES = 45
plan = [  # (step, phase of the interview plan, minutes)
    ("1. Clarify requirements", "clarify", 5),
    ("2. Frame as an ML task", "clarify", 3),
    ("3. Data and features", "data", 10),
    ("4. Model development", "model", 11),
    ("5. Evaluation", "model", 6),
    ("6. Deployment and serving", "ship", 6),
    ("7. Monitoring", "ship", 4),
]

rows, clock = [], 0
for step, phase, minutes in plan:
    rows.append({"step": step, "phase": phase, "minutes": minutes,
                 "from": f"{clock:02d}:00", "to": f"{clock + minutes:02d}:00"})
    clock += minutes
show.table(rows, title="Where the 45 minutes go")

phases = {}
for _, phase, minutes in plan:
    phases[phase] = phases.get(phase, 0) + minutes
middle = sum(m for step, _, m in plan if step[0] in "3456")
print(f"total: {clock} min; per phase: {phases}")
print(f"steps 3-6 (data, model, evaluation, serving): {middle} min = {middle / clock:.0%} of the clock")

assert clock == INTERVIEW_MINUTES, "the plan must fill the interview exactly"
assert set(phases) == {"clarify", "data", "model", "ship"}   # every phase of the interview plan gets time
assert middle > (clock - middle) * 2            # steps 3-6 get most of the clock (over two thirds)
assert phases["clarify"] < phases["model"]      # ask what changes the design, then move on
assert min(m for _, _, m in plan) >= 3          # every step gets at least three minutes
