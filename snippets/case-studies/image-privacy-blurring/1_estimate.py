# Back-of-envelope estimate for blurring faces and licence plates in street-level imagery. Every
# input is an assumption from the requirements table; change one and run the cell again.
from mlsd import estimates, show

back_catalogue = 10e9        # panoramas already published, to (re-)process when the model changes
new_per_day = 10e6           # panoramas captured per day by the fleet
tiles_per_pano = 40          # 8000 x 4000 pixels cut into ~1,000 x 1,000 tiles with overlap
ms_per_tile = {"one-stage": 1.5, "two-stage": 6.0}   # batched GPU time per tile (assumed; measure yours)
gpu_hour_usd = 2.0           # price of one GPU-hour (assumed)
boxes_per_pano_review = 0.2  # low-confidence boxes per panorama people review (the capacity cell 6 tests)
seconds_per_review = 4       # one box judged: blur or not
review_hours_per_day = 7

load = estimates.request_load(requests_per_day=new_per_day, peak_factor=1.0,
                              scored_per_request=tiles_per_pano)
rows = estimates.load_rows(load, unit="new panoramas")
gpu = {}
for kind, ms in ms_per_tile.items():
    s_per_pano = tiles_per_pano * ms / 1e3
    backlog_h = back_catalogue * s_per_pano / 3600
    daily = estimates.servers_needed(load["mean_qps"], 1 / s_per_pano, target_utilization=0.7)
    gpu[kind] = (backlog_h, daily["servers"])
    rows += [{"quantity": f"{kind}: GPU-hours to process the back catalogue",
              "value": f"{backlog_h / 1e3:,.0f} thousand (${backlog_h * gpu_hour_usd / 1e6:.2f} million)"},
             {"quantity": f"{kind}: GPUs for the daily capture (70 % busy, one spare)",
              "value": f"{daily['servers']:,}"}]
reviews = new_per_day * boxes_per_pano_review
reviewers = reviews * seconds_per_review / (review_hours_per_day * 3600)
rows += [{"quantity": "low-confidence boxes to review per day", "value": f"{reviews / 1e6:.0f} million"},
         {"quantity": "reviewers to clear them", "value": f"{reviewers:,.0f}"}]
show.table(rows, title="Scale estimate")
print(f"a 1,000-GPU pool re-processes the catalogue in {gpu['two-stage'][0] / 1000 / 24:.0f} days "
      f"with the two-stage detector, {gpu['one-stage'][0] / 1000 / 24:.0f} with the one-stage one")

assert round(load["mean_qps"]) == 116 and load["scores_per_second"] > 4_600, \
    "the page quotes about 116 panoramas and over 4,600 tiles a second"
assert round(gpu["two-stage"][0], -3) == 667_000 and round(gpu["one-stage"][0], -3) == 167_000, \
    "the page quotes 667 and 167 thousand GPU-hours for the back catalogue"
assert gpu["two-stage"][1] == 41 and gpu["one-stage"][1] == 11, "the page quotes 41 and 11 GPUs for the daily capture"
assert round(gpu["two-stage"][0] / 1000 / 24) == 28, "the page quotes 28 days on 1,000 GPUs"
assert reviews == 2e6 and round(reviewers) == 317, "the page quotes 2 million reviews and about 317 reviewers a day"
