# Pseudonyms are not anonymity.
# A hospital releases patient rows with the member id replaced by a hash. Two attacks:
# (1) a plain hash of a small id space is reversed by hashing every possible id once;
# (2) even a keyed hash leaves the other columns, which link to a public voter roll.
import datetime
import hashlib
import random

from mlsd import show
from mlsd.privacy import keyed_pseudonym

rng = random.Random(7)
ZIPS = [f"021{i:02d}" for i in range(10)] + [f"024{i:02d}" for i in range(10)]
START = datetime.date(1940, 1, 1)
member_ids = rng.sample(range(100_000), 4000)       # 5-digit member ids, one per person
population = [{"name": f"person {pid}", "member_id": member_ids[pid],   # the town: all on the voter roll
               "zip": rng.choice(ZIPS), "sex": rng.choice("FM"),
               "birth": START + datetime.timedelta(days=rng.randrange(365 * 65))} for pid in range(4000)]
patients = rng.sample(population, 800)               # who is in the hospital's release

# (1) Plain SHA-256 of a 5-digit member id: build the whole dictionary, then look up.
released_plain = [hashlib.sha256(str(p["member_id"]).encode()).hexdigest() for p in patients]
dictionary = {hashlib.sha256(str(m).encode()).hexdigest(): m for m in range(100_000)}
reversed_plain = sum(dictionary.get(h) == p["member_id"] for h, p in zip(released_plain, patients))
# The same dictionary against an HMAC with a secret key finds nothing.
KEY = b"kept-in-a-key-management-service"
released_keyed = [keyed_pseudonym(p["member_id"], KEY) for p in patients]
prefixes = {h[:16] for h in dictionary}            # compare at the pseudonym's length too
reversed_keyed = sum(h in dictionary or h in prefixes for h in released_keyed)
# The key is the whole protection: an attacker who steals it rebuilds the dictionary as fast.
leaked = {keyed_pseudonym(m, KEY): m for m in range(100_000)}
reversed_leaked = sum(leaked.get(h) == p["member_id"] for h, p in zip(released_keyed, patients))

# (2) Linkage: join the release to the voter roll on (ZIP, date of birth, sex).
roll = {}
for p in population:
    roll.setdefault((p["zip"], p["birth"], p["sex"]), []).append(p["name"])
unique = [roll[(p["zip"], p["birth"], p["sex"])] for p in patients]
reidentified = sum(len(c) == 1 and c[0] == p["name"] for c, p in zip(unique, patients))

show.table([{"pseudonym": "SHA-256(id), no key", "hashes the attacker computed": len(dictionary),
             "ids reversed": reversed_plain, "re-identified by linkage": reidentified},
            {"pseudonym": "HMAC-SHA256(key, id)", "hashes the attacker computed": len(dictionary),
             "ids reversed": reversed_keyed, "re-identified by linkage": reidentified},
            {"pseudonym": "HMAC-SHA256(key, id), key stolen", "hashes the attacker computed": len(leaked),
             "ids reversed": reversed_leaked, "re-identified by linkage": reidentified}],
           title=f"{len(patients)} released patient rows, {len(population):,} people on the voter roll")
share = reidentified / len(patients)
print(f"the town: {len(ZIPS)} ZIP codes, {len(population) // len(ZIPS)} people in each on average")
print(f"a 5-digit id space costs {len(dictionary):,} hashes to reverse every plain pseudonym "
      f"({reversed_plain} of {len(patients)})")
print(f"the keyed pseudonyms: {reversed_keyed} reversed without the key, {reversed_leaked} with it")
print(f"(ZIP, date of birth, sex) picks out one person for {reidentified} of {len(patients)} rows ({share:.1%}), "
      f"whatever the pseudonym")
assert reversed_plain == len(patients), "every plain hash of a small id space is reversed"
assert len(dictionary) == 100_000, "the attack costs one hash per possible id"
assert reversed_keyed == 0, "without the key the dictionary finds no keyed pseudonym"
assert reversed_leaked == len(patients), "with the key the same attack reverses every keyed pseudonym"
assert share > 0.9, "linkage on three quasi-identifiers re-identifies more than 90 % of rows"
