"""Fit PurchaseModel's priors on CDNOW and write rapport/engine/predict/priors.json.

    python scripts/fit_predict_priors.py              # fit on all CDNOW customers, write the JSON
    python scripts/fit_predict_priors.py --evaluate   # cross-fit: fit on one half, measure on the
                                                      # other against the hand-set priors; writes nothing
    python scripts/fit_predict_priors.py --evaluate --seeds 5   # quicker

Data: the CDNOW transaction log as shipped in the MIT-licensed Lifetimes package
(../shared/data/cdnow_transactions), 23,570 customers who first bought in early 1997. Only the
39-week calibration period (to 1997-09-30) is read, so the hold-out the benchmark scores stays
unseen.

What is fitted and why. BG/NBD's alpha is a time scale: CDNOW customers buy a few times a year,
a bakery's regulars weekly, so a prior centred on CDNOW's alpha would be wrong for a bakery.
What ships is scale-free: r (how unequal the customers' rates are), a and b (how they drop
out), the Gamma-Gamma shapes p and q, and two ratios: alpha times the business's own repeat
rate (repeat purchase days per customer-week of observation; ``purchase.repeat_rate``) and
the Gamma-Gamma scale v over the business's own mean spend (spends are already divided by
their median). ``purchase.bg_prior`` and ``gg_prior`` turn them into priors for a business.

Method. SUBSAMPLES random samples of SUBSAMPLE_SIZE customers, each fitted by the same MAP
code as the model with a nearly flat prior (sd 5 on the log scale). The centre of each
quantity is the same fit on all the customers given (the median of the samples is biased
away from it by small-sample fits: kept in the JSON for reference); its sd the spread of the
samples (the spread at a few hundred customers, larger than the population's own
uncertainty) times INFLATE, at least FLOOR: weak priors that a business's own data can still
override.

--evaluate (cross-fitting). Customers are split in two halves at random (seed 0); the priors
are fitted on half A only; samples of 14, 50 and 200 customers (seeds 0..19) drawn from half B
are fitted with the hand-set priors and with the fitted ones and scored on the 39-week
hold-out: AUC and Brier of "any purchase", total predicted vs actual purchase days, and
whether the actual total falls within an 80% interval of the total (parameter draws of the
Laplace approximation, each with the customers' purchases simulated from the model: the
spread of what the customers will do as well as of the estimate).
"""

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_predict import CAL_END, HORIZON, holdout_counts, load_cdnow  # noqa: E402
from rapport.engine.predict import PurchaseModel, purchase  # noqa: E402

OUT = ROOT / "rapport" / "engine" / "predict" / "priors.json"
SUBSAMPLES, SUBSAMPLE_SIZE = 60, 300
INFLATE, FLOOR = 2.0, 0.5
FLAT = 5.0
SIZES = (14, 50, 200)
QUANTITIES = {
    "bg": ["log_r", "log_alpha_times_rate", "log_a", "log_b"],
    "gg": ["log_p", "log_q_minus_1", "log_v_over_mean_spend"],
}


def scale_free_fit(s) -> dict:
    """MAP with a nearly flat prior on one sample; the scale-free quantities that ship."""
    keep = ~s.only_returns
    x, tx, T = s.x[keep], s.tx[keep], s.T[keep]
    flat_bg = purchase.BG_PRIOR.copy()
    flat_bg[:, 1] = FLAT
    theta, _, _ = purchase._map(lambda t: purchase._bg_loglik(t, x, tx, T, 1), flat_bg)
    has = s.spend > 0
    m = s.spend[has] / np.median(s.spend[has])
    flat_gg = purchase.GG_PRIOR.copy()
    flat_gg[:, 1] = FLAT
    gg, _, _ = purchase._map(lambda t: purchase._gg_loglik(t, s.n[has], m), flat_gg)
    return {
        "log_r": theta[0],
        "log_alpha_times_rate": theta[1] + np.log(purchase.repeat_rate(x, T)),
        "log_a": theta[2],
        "log_b": theta[3],
        "log_p": gg[0],
        "log_q_minus_1": gg[1],
        "log_v_over_mean_spend": gg[2] - np.log(purchase.mean_relative_spend(m)),
    }


def fit_priors(purchases: pd.DataFrame, customers: np.ndarray, inflate=INFLATE) -> dict:
    rows = []
    for seed in range(SUBSAMPLES):
        chosen = np.random.default_rng(1000 + seed).choice(customers, SUBSAMPLE_SIZE, replace=False)
        s, _ = purchase.summarise(purchases[purchases["customer_id"].isin(chosen)], CAL_END)
        rows.append(scale_free_fit(s))
    fits = pd.DataFrame(rows)
    whole, _ = purchase.summarise(purchases[purchases["customer_id"].isin(customers)], CAL_END)
    centre = scale_free_fit(whole)
    out = {"bg": {}, "gg": {}, "spread": {}, "subsample_median": {}}
    for part, names in QUANTITIES.items():
        for name in names:
            spread = float(fits[name].std())
            out[part][name] = [
                round(float(centre[name]), 4),
                round(max(inflate * spread, FLOOR), 4),
            ]
            out["spread"][name] = round(spread, 4)
            out["subsample_median"][name] = round(float(fits[name].median()), 4)
    return out


def total_interval(model: PurchaseModel, weeks: float, rng, draws=200, level=0.8):
    """80% interval of the customers' total purchases in the horizon: parameter draws from the
    Laplace approximation, and for each the purchases simulated customer by customer."""
    s, k = model.summary_, 1
    keep = ~s.only_returns
    thetas = rng.multivariate_normal(model.theta_, model.cov_, draws)
    estimate, predictive = np.empty(draws), np.empty(draws)
    for i, theta in enumerate(np.clip(thetas, -12, 12)):
        p_alive, _, expected = purchase._bg_predict(theta, s, weeks, k)
        estimate[i] = expected[keep].sum()
        r, alpha, a, b = np.exp(theta)
        x, T = s.x[keep], s.T[keep]
        alive = rng.random(len(x)) < p_alive[keep]
        rate = rng.gamma(r + x, 1 / (alpha + T))
        drop = rng.beta(a, b + x + k)
        events = rng.poisson(rate * weeks)
        before_drop = rng.geometric(np.clip(drop, 1e-9, 1))
        predictive[i] = np.sum(np.where(alive, np.minimum(events, before_drop), 0))
    tail = (1 - level) / 2 * 100
    return np.percentile(estimate, [tail, 100 - tail]), np.percentile(
        predictive, [tail, 100 - tail]
    )


def score_sample(sample: pd.DataFrame, seed: int) -> dict:
    model = PurchaseModel().fit(sample, until=CAL_END)
    f = model.predict(HORIZON)
    actual = holdout_counts(sample, f.index)
    p, e = f["p_purchase"].to_numpy(), f["expected_purchases"].to_numpy()
    enough = f["enough"].to_numpy(dtype=bool)
    out = {"enough": bool(enough.all()), "nan": bool(np.isnan(p[enough]).any())}
    if not out["enough"] or out["nan"]:
        return out
    bought = actual > 0
    estimate, predictive = total_interval(model, HORIZON / 7, np.random.default_rng(seed))
    total = actual.sum()
    out.update(
        auc=roc_auc_score(bought, p) if 0 < bought.sum() < len(bought) else np.nan,
        brier=brier_score_loss(bought, p),
        total=e.sum() / total - 1 if total else np.nan,
        covered_estimate=bool(estimate[0] <= total <= estimate[1]),
        covered=bool(predictive[0] <= total <= predictive[1]),
        width=(predictive[1] - predictive[0]) / max(total, 1),
    )
    return out


def evaluate(purchases: pd.DataFrame, seeds: int) -> list[str]:
    customers = purchases["customer_id"].unique()
    order = np.random.default_rng(0).permutation(customers)
    half_a, half_b = order[: len(order) // 2], order[len(order) // 2 :]
    candidates = {"hand-set priors": None}
    for inflate in (1.0, INFLATE, 4.0):
        candidates[f"fitted on half A, sd x{inflate:g}"] = fit_priors(purchases, half_a, inflate)
    print(
        "priors fitted on half A (sd x2):",
        json.dumps(candidates[f"fitted on half A, sd x{INFLATE:g}"]),
    )
    lines = [
        "| customers | priors | not enough / NaN | AUC mean ± sd (n) | Brier mean ± sd | total vs actual, mean ± sd | mean abs total error | 80% interval of total covers actual (estimate only) | interval width / actual |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    saved = purchase.PRIORS
    try:
        for size in SIZES:
            samples = [
                purchases[
                    purchases["customer_id"].isin(
                        np.random.default_rng(seed).choice(half_b, size, replace=False)
                    )
                ]
                for seed in range(seeds)
            ]
            for name, priors in candidates.items():
                purchase.PRIORS = priors
                got = [score_sample(sample, seed) for seed, sample in enumerate(samples)]
                ok = [g for g in got if g["enough"] and not g["nan"]]
                col = lambda key, ok=ok: np.array([g[key] for g in ok], dtype=float)  # noqa: E731
                auc = col("auc")
                auc = auc[~np.isnan(auc)]
                total = col("total")
                total = total[~np.isnan(total)]
                lines.append(
                    f"| {size} | {name} | {sum(not g['enough'] for g in got)} / {sum(g['nan'] for g in got)} of {seeds} | "
                    f"{auc.mean():.3f} ± {auc.std():.3f} ({len(auc)}) | {col('brier').mean():.3f} ± {col('brier').std():.3f} | "
                    f"{total.mean():+.1%} ± {total.std():.1%} | {np.abs(total).mean():.1%} | "
                    f"{col('covered').sum():.0f} of {len(ok)} ({col('covered_estimate').sum():.0f}) | {np.median(col('width')):.2f} |"
                )
                print(lines[-1], flush=True)
    finally:
        purchase.PRIORS = saved
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    purchases = load_cdnow()
    if args.evaluate:
        evaluate(purchases, args.seeds)
        return
    fitted = fit_priors(purchases, purchases["customer_id"].unique())
    fitted["provenance"] = {
        "data": "CDNOW transaction log (Fader & Hardie), as shipped in the Lifetimes 0.11.3 package",
        "licence": "MIT (the Lifetimes package); no separate licence statement for the data",
        "rows": "purchases up to 1997-09-30 (the 39-week calibration period) of all 23,570 customers",
        "method": (
            f"MAP fits with a nearly flat prior (sd {FLAT:g}) on {SUBSAMPLES} random samples of "
            f"{SUBSAMPLE_SIZE} customers and on all customers; centre = the fit on all, sd = "
            f"max({INFLATE:g} x the spread over samples, {FLOOR:g}). alpha enters as alpha x repeat_rate (repeat purchase days "
            "per customer-week) and v as v / mean spend over the median spend, so the business's "
            "own data sets the scale"
        ),
        "script": "scripts/fit_predict_priors.py",
        "fitted": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    fitted["version"] = "cdnow-1"
    OUT.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    print(json.dumps(fitted, indent=2))


if __name__ == "__main__":
    main()
