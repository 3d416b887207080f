"""Predictions (rapport.engine.predict, issue 17) against their anchors, in the same run.

    python benchmarks/bench_predict.py            # writes the `predict` section of docs/benchmarks.md
    python benchmarks/bench_predict.py --quick    # smaller samples; prints, writes nothing

- CDNOW (purchases): calibration 1997-01-01..1997-09-30 (39 weeks), hold-out the next 39
  weeks. AUC and Brier of "any repeat purchase in the hold-out", Pearson and MAE of the
  hold-out purchase counts (purchase days), total predicted vs actual. Anchors: BG/NBD by
  the `lifetimes` package (the `bench` extra; skipped with a note when not installed), and a
  recency-frequency-value logistic regression (and a Poisson regression for counts) trained
  by 5-fold cross-validation *on the hold-out's own labels*, an anchor that sees more than a
  business could.
- The same at 200 customers drawn 20 times (seeds 0-19): mean and spread, failed fits (an
  exception, a NaN, or an optimiser that did not converge).
- Telco churn and IBM HR attrition: 5-fold stratified ROC-AUC and Brier, ChurnModel against
  a plain logistic regression and plain gradient boosting on the same one-hot columns.
- SCMS deliveries: train on deliveries due 2006-2010, test on 2011-2012, against each
  supplier's own late share before 2011.
- Speed: fitting all three models for a 1,500-customer business; predicting 100,000
  customers (CDNOW customers repeated under new ids).

Needs the data in ../shared/data. About 3-5 minutes on 2 cores.
"""

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, PoissonRegressor
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "RAPPORT_SHARED_DATA" not in os.environ and not (ROOT.parent / "shared" / "data").exists():
    # A worktree sits one level deeper than the main checkout.
    os.environ["RAPPORT_SHARED_DATA"] = str(ROOT.parents[1] / "shared" / "data")
DATA = Path(os.environ.get("RAPPORT_SHARED_DATA", ROOT.parent / "shared" / "data"))

from benchmarks.common import write_section  # noqa: E402
from rapport.engine.predict import ChurnModel, DeliveryRiskModel, PurchaseModel  # noqa: E402
from rapport.engine.predict.purchase import summarise  # noqa: E402

QUICK = "--quick" in sys.argv
CAL_END, HOLD_END = pd.Timestamp("1997-09-30"), pd.Timestamp("1998-06-30")
HORIZON = (HOLD_END - CAL_END).days
warnings.filterwarnings("ignore")


def log(message: str) -> None:
    print(message, flush=True)


def load_cdnow() -> pd.DataFrame:
    frame = pd.read_csv(
        DATA / "cdnow_transactions" / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str}
    )
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "at": pd.to_datetime(frame["date"].astype(str), format="%Y%m%d"),
            "amount": frame["dollar_value"],
        }
    )


def holdout_counts(purchases: pd.DataFrame, ids) -> np.ndarray:
    later = purchases[(purchases["at"] > CAL_END) & (purchases["at"] <= HOLD_END)]
    days = later.drop_duplicates(["customer_id", "at"]).groupby("customer_id").size()
    return days.reindex(ids, fill_value=0).to_numpy()


def scores(p_any, expected, actual) -> dict:
    bought = actual > 0
    return {
        "auc": roc_auc_score(bought, p_any),
        "brier": brier_score_loss(bought, np.clip(p_any, 0, 1)),
        "pearson": stats.pearsonr(expected, actual)[0],
        "mae": float(np.mean(np.abs(expected - actual))),
        "total": float(expected.sum() / actual.sum() - 1),
    }


def ours(purchases: pd.DataFrame, variant: str, backtest: bool = True):
    model = PurchaseModel(variant=variant, backtest=backtest)
    f = model.fit(purchases, until=CAL_END).predict(horizon_days=HORIZON)
    return f, f["p_purchase"].to_numpy(), f["expected_purchases"].to_numpy()


def lifetimes_bgnbd(purchases: pd.DataFrame, ids):
    """BG/NBD by the lifetimes package, as its documentation shows; None when absent."""
    from lifetimes import BetaGeoFitter

    s, _ = summarise(purchases, CAL_END)
    fitter = BetaGeoFitter(penalizer_coef=0.0)
    fitter.fit(s.x, s.tx, s.T)
    weeks = HORIZON / 7
    expected = fitter.conditional_expected_number_of_purchases_up_to_time(weeks, s.x, s.tx, s.T)
    alive = fitter.conditional_probability_alive(s.x, s.tx, s.T)
    r, alpha = fitter.params_["r"], fitter.params_["alpha"]
    quiet = ((alpha + s.T) / (alpha + s.T + weeks)) ** (r + s.x)
    p_any = alive * (1 - quiet)
    order = pd.Index(s.ids).get_indexer(ids)
    return np.asarray(p_any)[order], np.asarray(expected)[order], np.asarray(alive)[order]


def rfv_features(purchases: pd.DataFrame, ids) -> np.ndarray:
    s, _ = summarise(purchases, CAL_END)
    order = pd.Index(s.ids).get_indexer(ids)
    x, tx, T, m = s.x[order], s.tx[order], s.T[order], s.spend[order]
    return np.column_stack([np.log1p(x), tx, T, T - tx, np.log1p(m), x / np.maximum(T, 1)])


def rfv_anchor(purchases, ids, actual):
    X = rfv_features(purchases, ids)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    p_any = cross_val_predict(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        X,
        actual > 0,
        cv=folds,
        method="predict_proba",
    )[:, 1]
    counts = cross_val_predict(
        make_pipeline(StandardScaler(), PoissonRegressor(alpha=1e-4, max_iter=1000)),
        X,
        actual,
        cv=folds,
    )
    return p_any, counts


def cdnow_section(purchases: pd.DataFrame) -> tuple[list[str], dict]:
    f, p_m, e_m = ours(purchases, "mbgnbd")
    ids = f.index
    actual = holdout_counts(purchases, ids)
    rows = {
        "Rapport PurchaseModel (modified BG/NBD, MAP, backtest classifier)": scores(
            p_m, e_m, actual
        )
    }
    _, p_n, e_n = ours(purchases, "mbgnbd", backtest=False)
    rows["Rapport, modified BG/NBD alone (MAP)"] = scores(p_n, e_n, actual)
    _, p_b, e_b = ours(purchases, "bgnbd", backtest=False)
    rows["Rapport, plain BG/NBD alone (MAP)"] = scores(p_b, e_b, actual)
    notes = []
    try:
        p_l, e_l, alive = lifetimes_bgnbd(purchases, ids)
        rows["anchor: BG/NBD by lifetimes"] = scores(p_l, e_l, actual)
        once = f["reasons"].map(lambda r: r[0].startswith("bought once")).to_numpy()
        notes.append(
            f"- One-time buyers ({once.sum():,}): lifetimes' P(alive) is 1.0 for "
            f"{np.mean(alive[once] >= 0.999):.0%} of them; Rapport's p_alive ranges "
            f"{f['p_alive'][once].min():.2f}-{f['p_alive'][once].max():.2f}. AUC of P(alive) itself "
            f"for a repeat purchase: lifetimes {roc_auc_score(actual > 0, alive):.3f}, "
            f"Rapport {roc_auc_score(actual > 0, f['p_alive']):.3f}."
        )
    except Exception as error:  # noqa: BLE001 - an anchor that cannot run is reported, not fatal
        notes.append(f"- BG/NBD by lifetimes not run: {type(error).__name__}: {error}")
    p_r, e_r = rfv_anchor(purchases, ids, actual)
    rows["anchor: RFV logistic/Poisson regression (5-fold CV on hold-out labels)"] = scores(
        p_r, e_r, actual
    )
    table = [
        "| model | AUC | Brier | Pearson | MAE | total vs actual |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in rows.items():
        table.append(
            f"| {name} | {s['auc']:.3f} | {s['brier']:.3f} | {s['pearson']:.3f} | {s['mae']:.3f} | {s['total']:+.1%} |"
        )
    reliability = reliability_table(p_m, actual > 0)
    return [
        *table,
        "",
        *notes,
        "",
        "Reliability of p_purchase (Rapport, CDNOW hold-out):",
        "",
        *reliability,
    ], rows


def reliability_table(p, y, bins=(0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0001)) -> list[str]:
    lines = ["| predicted | rows | mean predicted | observed |", "|---|---|---|---|"]
    y = np.asarray(y, dtype=float)
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        inside = (p >= lo) & (p < hi)
        if inside.any():
            lines.append(
                f"| {lo:.0%}-{min(hi, 1):.0%} | {inside.sum():,} | {p[inside].mean():.3f} | {y[inside].mean():.3f} |"
            )
    return lines


def small_samples(purchases: pd.DataFrame, seeds: int = 20, size: int = 200) -> list[str]:
    customers = purchases["customer_id"].unique()
    results = {"Rapport": [], "lifetimes BG/NBD": []}
    failed = {"Rapport": 0, "lifetimes BG/NBD": 0}
    for seed in range(seeds):
        chosen = np.random.default_rng(seed).choice(customers, size, replace=False)
        sample = purchases[purchases["customer_id"].isin(chosen)]
        model = PurchaseModel().fit(sample, until=CAL_END)
        f = model.predict(HORIZON)
        actual = holdout_counts(sample, f.index)
        p = f["p_purchase"].to_numpy()
        if not model.converged_ or np.isnan(p).any() or not f["enough"].all():
            failed["Rapport"] += 1
        else:
            results["Rapport"].append(scores(p, f["expected_purchases"].to_numpy(), actual))
        try:
            p_l, e_l, _ = lifetimes_bgnbd(sample, f.index)
            if np.isnan(p_l).any() or np.isnan(e_l).any():
                raise ValueError("NaN")
            results["lifetimes BG/NBD"].append(scores(p_l, e_l, actual))
        except ImportError:
            failed["lifetimes BG/NBD"] = None
        except Exception:  # noqa: BLE001 - a failed fit is what this counts
            failed["lifetimes BG/NBD"] += 1
    lines = [
        "| model | failed fits | AUC mean ± sd | Brier mean ± sd | total vs actual, mean ± sd |",
        "|---|---|---|---|---|",
    ]
    for name, got in results.items():
        if failed[name] is None:
            lines.append(f"| {name} | not installed | | | |")
            continue
        auc = [g["auc"] for g in got]
        brier = [g["brier"] for g in got]
        total = [g["total"] for g in got]
        lines.append(
            f"| {name} | {failed[name]} of {seeds} | {np.mean(auc):.3f} ± {np.std(auc):.3f} | "
            f"{np.mean(brier):.3f} ± {np.std(brier):.3f} | {np.mean(total):+.1%} ± {np.std(total):.1%} |"
        )
    return lines


def churn_sets() -> dict:
    telco = pd.read_csv(DATA / "ibm_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    hr = pd.read_csv(
        DATA / "ibm_hr_attrition" / "WA_Fn-UseC_-HR-Employee-Attrition.csv", encoding="utf-8-sig"
    )
    # The anchors need numbers as numbers: TotalCharges is blank for 11 new customers.
    telco["TotalCharges"] = pd.to_numeric(telco["TotalCharges"], errors="coerce")
    return {
        "Telco churn": (telco.drop(columns=["customerID", "Churn"]), telco["Churn"]),
        "IBM HR attrition": (hr.drop(columns=["EmployeeNumber", "Attrition"]), hr["Attrition"]),
    }


def plain(model):
    """An anchor: numbers scaled (blanks as the median), text one-hot, then ``model``."""
    from sklearn.impute import SimpleImputer

    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    encode = make_column_transformer(
        (numbers, make_column_selector(dtype_include="number")),
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
    )
    return make_pipeline(encode, model)


def churn_section() -> list[str]:
    lines = ["| set | model | ROC-AUC | Brier | seconds |", "|---|---|---|---|---|"]
    reliability = []
    for name, (X, y_raw) in churn_sets().items():
        y = (y_raw == "Yes").to_numpy(dtype=int)
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
        candidates = {
            "Rapport ChurnModel (logistic, default)": lambda: ChurnModel(),
            "anchor: logistic regression": lambda: plain(LogisticRegression(max_iter=3000)),
            "anchor: gradient boosting": lambda: plain(
                HistGradientBoostingClassifier(random_state=0)
            ),
        }
        for label, make in candidates.items():
            start, p = time.perf_counter(), np.empty(len(y))
            for train, test in folds:
                p[test] = make().fit(X.iloc[train], y[train]).predict_proba(X.iloc[test])[:, 1]
            lines.append(
                f"| {name} | {label} | {roc_auc_score(y, p):.3f} | {brier_score_loss(y, p):.3f} | {time.perf_counter() - start:.1f} |"
            )
            log(lines[-1])
            if label.startswith("Rapport"):
                reliability += [
                    "",
                    f"Reliability of ChurnModel, {name} (out of fold):",
                    "",
                    *reliability_table(p, y),
                ]
    return lines + reliability


SCMS_FEATURES = [
    "Shipment Mode",
    "Country",
    "Product Group",
    "Sub Classification",
    "Fulfill Via",
    "Vendor INCO Term",
    "Managed By",
    "First Line Designation",
    "Line Item Quantity",
    "Line Item Value",
]


def scms_section() -> list[str]:
    raw = pd.read_csv(DATA / "usaid_scms_delivery" / "SCMS_Delivery_History_2006_2012.csv")
    data = raw[SCMS_FEATURES].assign(
        supplier=raw["Vendor"],
        due=pd.to_datetime(raw["Scheduled Delivery Date"], format="%d-%b-%y"),
        delivered=pd.to_datetime(raw["Delivered to Client Date"], format="%d-%b-%y"),
    )
    train, test = data[data["due"].dt.year <= 2010], data[data["due"].dt.year >= 2011]
    late = (test["delivered"] > test["due"]).to_numpy()
    model = DeliveryRiskModel().fit(train)
    risk = model.predict_proba(test.drop(columns="delivered"))[:, 1]
    low, high = model.predict_interval(test.drop(columns="delivered"))
    own = (
        model.suppliers_["late_share"]
        .reindex(test["supplier"].astype(str))
        .fillna(model.late_share_)
        .to_numpy()
    )
    lines = [
        f"Train: {len(train):,} deliveries due 2006-2010 ({model.late_share_:.1%} late); "
        f"test: {len(test):,} due 2011-2012 ({late.mean():.1%} late).",
        "",
        "| model | ROC-AUC | Brier |",
        "|---|---|---|",
        f"| Rapport DeliveryRiskModel | {roc_auc_score(late, risk):.3f} | {brier_score_loss(late, risk):.3f} |",
        f"| anchor: each supplier's own late share before 2011 | {roc_auc_score(late, own):.3f} | {brier_score_loss(late, own):.3f} |",
        "",
        f"80% intervals of the probability (predict_interval): median width {np.median(high - low):.3f}, "
        f"90th percentile {np.percentile(high - low, 90):.3f}.",
        "",
        "Reliability of DeliveryRiskModel on 2011-2012:",
        "",
        *reliability_table(risk, late),
    ]
    return lines


def speed_section(purchases: pd.DataFrame) -> list[str]:
    customers = purchases["customer_id"].unique()
    chosen = np.random.default_rng(0).choice(customers, 1500, replace=False)
    sample = purchases[purchases["customer_id"].isin(chosen)]
    X, y = churn_sets()["Telco churn"]
    sets = {"purchases": sample, "churn": (X.head(1500), y.head(1500)), "deliveries": None}
    raw = pd.read_csv(DATA / "usaid_scms_delivery" / "SCMS_Delivery_History_2006_2012.csv").head(
        1500
    )
    sets["deliveries"] = raw[SCMS_FEATURES].assign(
        supplier=raw["Vendor"],
        due=pd.to_datetime(raw["Scheduled Delivery Date"], format="%d-%b-%y"),
        delivered=pd.to_datetime(raw["Delivered to Client Date"], format="%d-%b-%y"),
    )
    start = time.perf_counter()
    PurchaseModel().fit(sets["purchases"], until=CAL_END).predict(HORIZON)
    purchase_s = time.perf_counter() - start
    ChurnModel().fit(*sets["churn"])
    DeliveryRiskModel().fit(sets["deliveries"])
    fit_all = time.perf_counter() - start
    copies = int(np.ceil(100_000 / len(customers)))
    big = pd.concat(
        [purchases.assign(customer_id=purchases["customer_id"] + f"-{i}") for i in range(copies)]
    )
    keep = big["customer_id"].drop_duplicates().head(100_000)
    big = big[big["customer_id"].isin(set(keep))]
    start = time.perf_counter()
    f = PurchaseModel().fit(big, until=CAL_END).predict(HORIZON)
    big_s = time.perf_counter() - start
    return [
        f"- Fitting all three models for a 1,500-customer business (1,500 customers' purchases, "
        f"1,500 Telco rows, 1,500 SCMS deliveries): {fit_all:.1f} s (the purchase model alone, "
        f"fit and predict: {purchase_s:.2f} s); target under 10 s.",
        f"- Fitting and predicting {len(f):,} customers ({len(big):,} purchases): {big_s:.1f} s; "
        "target under 30 s.",
    ]


def main() -> None:
    started = time.perf_counter()
    purchases = load_cdnow()
    log("CDNOW...")
    cdnow, _ = cdnow_section(purchases)
    log("\n".join(cdnow))
    log("200 customers x 20 seeds...")
    small = small_samples(purchases, seeds=5 if QUICK else 20)
    log("\n".join(small))
    log("churn...")
    churn = churn_section()
    log("SCMS...")
    scms = scms_section()
    log("\n".join(scms))
    log("speed...")
    speed = speed_section(purchases)
    log("\n".join(speed))
    body = "\n".join(
        [
            "## Predictions (engine.predict)",
            "",
            "`benchmarks/bench_predict.py`; methods and limits in docs/predict.md. CDNOW is old, "
            "Telco and IBM HR are partly simulated sample data.",
            "",
            "### CDNOW, 39-week calibration and 39-week hold-out (23,570 customers)",
            "",
            *cdnow,
            "",
            "### 200 CDNOW customers, 20 draws",
            "",
            *small,
            "",
            "The shipped priors (rapport/engine/predict/priors.json) were fitted on all CDNOW "
            "customers, these included; cross-fitted figures (priors from one half, samples of 14, "
            "50 and 200 from the other) come from `scripts/fit_predict_priors.py --evaluate` and "
            "are in docs/predict.md.",
            "",
            "### Churn and attrition, 5-fold cross-validation",
            "",
            *churn,
            "",
            "### SCMS deliveries, earlier years to later ones",
            "",
            *scms,
            "",
            "### Speed",
            "",
            *speed,
            "",
            f"Whole run: {time.perf_counter() - started:.0f} s.",
        ]
    )
    if QUICK:
        print(body)
    else:
        write_section("predict", body)


if __name__ == "__main__":
    main()
