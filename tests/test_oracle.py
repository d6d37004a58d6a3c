"""An independent check of the arithmetic: the model re-derived from its documents, on random plans.

The oracle below re-derives every equation from the project's own documents only --
docs/reference.md (every key and its equation), docs/user-guide.md (worked examples) and, for the
streams.csv appraisal columns, docs/decisions.md -- as plain loops over years in floats. It does
not import the engine or any of its helpers: mtfpmodel is used only to *run* the tool, as an
officer would (``mtfp run FILE --out DIR --no-report --no-charts``, in-process).

A seeded generator (numpy default_rng) writes random but valid scenarios block by block (core
lines and funding, pressures, council tax, grants, named reserves, fixed/share_of_line/unit_cost
savings, savings capital, implementation costs, volume-driven lines, workforce, contracts, capital
programme, then everything at once); every number of summary, lines, funding, savings, streams,
gap_table, reserves, council_tax, workforce, contracts and capital .csv is compared with the oracle
to 1e-6 (in £000; scaled for £ and £m files) plus 1e-11 relative. The shipped scenarios (those
without ``extends:``) and one ``extends:`` merge are checked the same way.

Where a disagreement is found, decide from the documents which side is wrong: the two found so far
(payback years counted before any money was spent; a ring-fenced general reserve refused though the
contract allows it) were the tool's, and are pinned at the end.
"""
from __future__ import annotations

import contextlib
import csv
import io
import math
import os
from pathlib import Path

import numpy as np
import pytest
import yaml

# ============================================================================ oracle


UNIT = {"£": 1.0, "£000": 1000.0, "£m": 1_000_000.0}
BANDS = {"a": 6, "b": 7, "c": 8, "e": 11, "f": 13, "g": 15, "h": 18}
RAG = {"green": 0.95, "amber": 0.70, "red": 0.30}
GRANT = {"confirmed": 1.0, "indicative": 0.9, "assumed": 0.7}
KIND_CAT = {"fixed": "Savings proposals", "share_of_line": "Budget line reductions",
            "unit_cost": "Unit cost reductions"}


def label(y0, t):
    y = y0 + t
    return f"{y}/{(y + 1) % 100:02d}"


def ystart(lbl):
    return int(str(lbl).split("/")[0])


def is_pct(v):
    return isinstance(v, str) and v.strip().endswith("%")


def rate(v):
    if isinstance(v, str):
        s = v.strip()
        if s.endswith("%"):
            return float(s[:-1]) / 100.0
        return float(s)
    return float(v)


class Ctx:
    def __init__(self, scn):
        self.scn = scn
        self.T = int(scn.get("years", 4))
        self.y0 = ystart(scn["base_year"])
        self.unit = UNIT[scn.get("units", "£000")]
        self.labels = [label(self.y0, t) for t in range(self.T + 1)]
        self.assumptions = scn.get("assumptions") or {}

    # --- series -----------------------------------------------------------
    def series(self, v, conv, allow_name=True):
        """rate/volume series -> list index 0..T (index 0 unused = 0)."""
        T = self.T
        if isinstance(v, str) and not is_pct(v) and allow_name:
            if v == "none":
                return [0.0] * (T + 1)
            a = self.assumptions[v]
            if isinstance(a, dict) and "value" in a:
                a = a["value"]
            return self.series(a, conv)
        if isinstance(v, list):
            assert len(v) == T
            return [0.0] + [conv(x) for x in v]
        if isinstance(v, dict):
            out = [0.0] * (T + 1)
            cur = None
            m = {str(k): x for k, x in v.items()}
            for t in range(1, T + 1):
                if self.labels[t] in m:
                    cur = conv(m[self.labels[t]])
                out[t] = cur
            return out
        return [0.0] + [conv(v)] * T

    def rs(self, v, default=0.0):
        if v is None:
            return [default] * (self.T + 1)
        return self.series(v, rate)

    def vs(self, v):
        return self.series(v, float)

    def amt(self, v):
        T = self.T
        if v is None:
            return [0.0] * (T + 1)
        if isinstance(v, list):
            return [0.0] + [float(x) for x in v]
        if isinstance(v, dict):
            m = {str(k): x for k, x in v.items()}
            return [0.0] + [float(m.get(self.labels[t], 0.0)) for t in range(1, T + 1)]
        return [0.0] + [float(v)] * T

    def source(self, src):
        """base/growth or values source -> list 0..T"""
        T = self.T
        base = float(src.get("base", 0.0) or 0.0)
        if "values" in src and src["values"] is not None:
            v = self.amt(src["values"])
            v[0] = base
            return v
        g = self.rs(src.get("growth"))
        x = [base]
        for t in range(1, T + 1):
            x.append(x[-1] * (1 + g[t]))
        return x


def levels(amount, recurring):
    out = []
    c = 0.0
    for t, a in enumerate(amount):
        c += a
        out.append(c if recurring else a)
    out[0] = 0.0
    return out


def tranche_costs(amount, T, rate_by_year, life, method, style):
    """style 'stream': payments as savings[].capital; 'prog': (mrp, interest) lists.
    returns (mrp[t], interest[t]) lists 0..T"""
    mrp = [0.0] * (T + 1)
    inte = [0.0] * (T + 1)
    for s in range(1, T + 1):
        P = amount[s]
        if P == 0:
            continue
        r = rate_by_year[s]
        n = life
        owed = P
        for k in range(1, n + 1):
            t = s + k
            if method == "annuity":
                if r == 0:
                    m = P / n
                else:
                    m = P * r * (1 + r) ** (k - 1) / ((1 + r) ** n - 1)
            else:
                m = P / n
            i = r * owed
            owed -= m
            if t <= T:
                mrp[t] += m
                inte[t] += i
    return mrp, inte


def stream_payment(P, r, n, k, method):
    if method == "annuity":
        return P / n if r == 0 else P * r / (1 - (1 + r) ** -n)
    return P / n + r * P * (1 - (k - 1) / n)


def oracle(scn):
    c = Ctx(scn)
    T, unit, L = c.T, c.unit, c.labels
    rng = range(T + 1)

    # ---------------- workforce ----------------
    wf_rows = []
    wf_total = {}
    wf = scn.get("workforce")
    lines = scn["expenditure"]
    if wf:
        ni = wf["employer_ni"]
        ni_rate = c.rs(ni["rate"]); ni_rate[0] = rate(ni["base_rate"])
        ni_thr = c.vs(ni["threshold"]); ni_thr[0] = float(ni["base_threshold"])
        pen = wf["employer_pension"]
        pen_rate = c.rs(pen["rate"]); pen_rate[0] = rate(pen["base_rate"])
        lev = wf.get("apprenticeship_levy") or {}
        lev_rate = rate(lev.get("rate", "0.5%"))
        lev_allow = float(lev.get("allowance", 3000000))
        groups = wf["groups"]
        gd = {}
        for g in groups:
            pa = c.rs(g["pay_award"])
            drift = rate(g.get("drift", 0)); vac = rate(g.get("vacancy", 0))
            fte = float(g["fte"]); hc = float(g.get("headcount", fte))
            sal = [float(g["average_salary"])]
            for t in range(1, T + 1):
                sal.append(sal[-1] * (1 + pa[t]))
            pb = [fte * sal[t] * (1 + drift) * (1 - vac) / unit for t in rng]
            emp = hc * (1 - vac)
            nic = [ni_rate[t] * max(pb[t] * unit / emp - ni_thr[t], 0.0) * emp / unit for t in rng]
            pn = [pen_rate[t] * pb[t] for t in rng]
            gd[g["name"]] = dict(fte=fte, sal=sal, pb=pb, ni=nic, pen=pn)
        for t in rng:
            tot = sum(d["pb"][t] for d in gd.values())
            levy = lev_rate * max(tot - lev_allow / unit, 0.0)
            for d in gd.values():
                d.setdefault("lev", []).append(levy * d["pb"][t] / tot if tot else 0.0)
        share = {g["name"]: 0.0 for g in groups}
        for ln in lines:
            for gn, w in (ln.get("pay_from") or {}).items():
                share[gn] += rate(w)
        for gn, d in gd.items():
            d["tot"] = [d["pb"][t] + d["ni"][t] + d["pen"][t] + d["lev"][t] for t in rng]
            wf_total[gn] = d["tot"]
        for t in rng:
            for g in groups:
                d = gd[g["name"]]
                wf_rows.append(dict(year=L[t], group=g["name"], fte=d["fte"], average_salary=d["sal"][t],
                                    pay_bill=d["pb"][t], employer_ni=d["ni"][t], employer_pension=d["pen"][t],
                                    apprenticeship_levy=d["lev"][t], total_cost=d["tot"][t],
                                    in_budget_lines=share[g["name"]]))

    # ---------------- lines ----------------
    contracts = scn.get("contracts") or []
    line_cost = {}
    comp_cost = {}
    line_extra = {}
    contract_cost = {}
    contract_uplift = {}
    for ln in lines:
        name = ln["name"]
        mix = {k: rate(v) for k, v in (ln.get("cost_mix") or {"none": "100%"}).items()}
        rates = {k: c.rs(k) if k != "none" else [0.0] * (T + 1) for k in mix}
        # price index of the line's cost mix
        price = []
        for t in rng:
            price.append(sum(w * math.prod(1 + rates[k][s] for s in range(1, t + 1)) for k, w in mix.items()))
        wfc = [0.0] * (T + 1)
        for gn, w in (ln.get("pay_from") or {}).items():
            for t in rng:
                wfc[t] += rate(w) * wf_total[gn][t]
        my_contracts = [k for k in contracts if k["line"] == name]
        ccost_sum = [0.0] * (T + 1)
        for k in my_contracts:
            idx = c.rs(k["index"])
            lag = int(k.get("lag", 0))
            bi = rate(k["base_index"]) if k.get("base_index") is not None else idx[1]
            st = ystart(k["start"]) if k.get("start") else -10**9
            en = ystart(k["end"]) if k.get("end") else 10**9
            v = [float(k["value"])]
            ups = [0.0]
            for t in range(1, T + 1):
                if st <= c.y0 + t <= en:
                    lt = t - lag
                    lagged = bi if lt <= 0 else idx[lt]
                    u = lagged
                    if k.get("collar") is not None:
                        u = max(u, rate(k["collar"]))
                    if k.get("cap") is not None:
                        u = min(u, rate(k["cap"]))
                else:
                    u = price[t] / price[t - 1] - 1
                ups.append(u)
                v.append(v[-1] * (1 + u))
            contract_cost[k["name"]] = (name, v)
            contract_uplift[k["name"]] = ups
            for t in rng:
                ccost_sum[t] += v[t]
        comps = {}
        vol = None
        ucost = None
        if ln.get("volume") is not None:
            vd = ln["volume"]
            if vd.get("values") is not None:
                vol = c.vs(vd["values"]); vol[0] = float(vd["base"])
            else:
                g = c.rs(vd.get("growth"))
                vol = [float(vd["base"])]
                for t in range(1, T + 1):
                    vol.append(vol[-1] * (1 + g[t]))
            uc = float(ln["unit_cost"]); ppy = float(ln.get("periods_per_year", 52))
            for k, w in mix.items():
                comps[k] = [vol[t] * uc * ppy / unit * w * math.prod(1 + rates[k][s] for s in range(1, t + 1)) for t in rng]
            ucost = [uc * price[t] for t in rng]
            line_extra[name] = dict(ppy=ppy)
        else:
            dem = c.rs(ln.get("demand"))
            rest = float(ln["base"]) - wfc[0] - ccost_sum[0]
            for k, w in mix.items():
                x = [rest * w]
                for t in range(1, T + 1):
                    x.append(x[-1] * (1 + rates[k][t]) * (1 + dem[t]))
                comps[k] = x
        lc = [sum(comps[k][t] for k in comps) + wfc[t] + ccost_sum[t] for t in rng]
        line_cost[name] = lc
        comp_cost[name] = comps
        line_extra.setdefault(name, {}).update(group=ln.get("group", ""), vol=vol, ucost=ucost, wfc=wfc,
                                               con=ccost_sum,
                                               ci=[ccost_sum[t] - ccost_sum[0] for t in rng])

    # ---------------- capital programme ----------------
    cf = scn.get("capital_financing")
    prog = scn.get("capital_programme") or []
    cap_rows = []
    cap_fin = None
    rcco = None
    if cf is not None or prog:
        br = c.rs(cf["borrowing_rate"]) if cf else [0.0] * (T + 1)
        edc = [0.0] * (T + 1)
        if cf and cf.get("existing_debt_charges"):
            e = cf["existing_debt_charges"]
            b = float(e["base"])
            if e.get("values") is not None:
                edc = c.amt(e["values"]); edc[0] = b
            else:
                edc = [b] * (T + 1)
        cap_fin = list(edc)
        rcco = [0.0] * (T + 1)
        for sch in prog:
            bo = c.amt(sch.get("borrowing")); gr = c.amt(sch.get("grants"))
            cr = c.amt(sch.get("capital_receipts")); rv = c.amt(sch.get("revenue"))
            mrp, inte = tranche_costs(bo, T, br, int(sch["life"]), sch.get("method", "annuity"), "prog")
            cfr = 0.0
            for t in rng:
                cfr += bo[t] - mrp[t]
                cap_fin[t] += mrp[t] + inte[t]
                rcco[t] += rv[t]
                cap_rows.append(dict(scheme=sch["name"], year=L[t], spend=bo[t] + gr[t] + cr[t] + rv[t],
                                     borrowing=bo[t], grants=gr[t], capital_receipts=cr[t], revenue=rv[t],
                                     mrp=mrp[t], interest=inte[t], debt_charges=mrp[t] + inte[t],
                                     revenue_cost=mrp[t] + inte[t] + rv[t],
                                     capital_financing_requirement=cfr))
        c._edc = edc

    # ---------------- pressures ----------------
    press = [0.0] * (T + 1)
    for p in scn.get("pressures") or []:
        lv = levels(c.amt(p["amount"]), p.get("recurring", True))
        for t in rng:
            press[t] += lv[t]

    # ---------------- reserves (parse) ----------------
    rv_in = scn.get("reserves", None)
    if "reserves" not in scn or rv_in is None:
        rv_in = {}
    if isinstance(rv_in, dict):
        reserves = [dict(name="Usable reserves", kind="general", opening=rv_in.get("opening", 0),
                         minimum=rv_in.get("minimum", 0), meets_gap=rv_in.get("use_to_balance", True))]
    else:
        reserves = [dict(r) for r in rv_in]
    for r in reserves:
        r["rf"] = bool(r.get("ring_fenced", False))
        mg = r.get("meets_gap")
        if mg is None:
            mg = r["kind"] == "general"
        r["mg"] = bool(mg) and not r["rf"]
        r["contrib"] = c.amt(r.get("contributions"))
        r["plan"] = c.amt(r.get("planned_use"))
        r["bal"] = float(r.get("opening", 0) or 0)
    reserve_contrib = [sum(r["contrib"][t] for r in reserves) for t in rng]

    # ---------------- net expenditure ----------------
    ne = []
    for t in rng:
        x = sum(line_cost[n][t] for n in line_cost) + press[t] + reserve_contrib[t]
        if cap_fin is not None:
            x += cap_fin[t] + rcco[t]
        ne.append(x)

    # ---------------- funding ----------------
    fund_rows = []
    ct = scn["funding"]["council_tax"]
    tb_g = c.rs(ct.get("tax_base_growth"))
    parts = {k: c.rs(v) for k, v in (ct.get("increase") or {}).items()}
    cfund = c.amt(ct.get("collection_fund"))
    tb = [float(ct["tax_base"])]
    bd = [float(ct["band_d"])]
    for t in range(1, T + 1):
        tb.append(tb[-1] * (1 + tb_g[t]))
        bd.append(bd[-1] * (1 + sum(parts[k][t] for k in parts)))
    ctax = [tb[t] * bd[t] / unit + cfund[t] for t in rng]
    sources = [("council_tax", "Council tax", ctax)]
    if scn["funding"].get("business_rates"):
        sources.append(("business_rates", "Business rates", c.source(scn["funding"]["business_rates"])))
    gconf = dict(GRANT)
    gconf.update({k: rate(v) for k, v in (scn.get("grant_confidence") or {}).items()})
    grant_risk = [0.0] * (T + 1)
    for g in scn["funding"].get("grants") or []:
        x = c.source(g)
        if g.get("ends"):
            e = ystart(g["ends"])
            x = [0.0 if c.y0 + t > e else x[t] for t in rng]
        sh = gconf[g.get("certainty", "confirmed")]
        for t in rng:
            grant_risk[t] += (1 - sh) * x[t]
        sources.append((g["name"], g["name"], x))
    funding = [sum(s[2][t] for s in sources) for t in rng]
    for t in rng:
        for s in sources:
            fund_rows.append(dict(year=L[t], source=s[0], amount=s[2][t], label=s[1]))

    ct_rows = []
    rl = c.rs(ct.get("referendum_limit")) if ct.get("referendum_limit") is not None else None
    pp = c.source(ct["parish_precepts"]) if ct.get("parish_precepts") else None
    for t in rng:
        row = dict(year=L[t], tax_base=tb[t])
        if t == 0:
            row["band_d_brought_forward"] = None
            for k in parts:
                row[f"increase_{k}"] = None
                row[f"increase_{k}_pct"] = None
            row.update(band_d=bd[0], band_d_increase=None, band_d_increase_per_week=None,
                       band_d_increase_pct=None, band_a_increase_per_week=None)
        else:
            row["band_d_brought_forward"] = bd[t - 1]
            for k in parts:
                row[f"increase_{k}"] = bd[t - 1] * parts[k][t]
                row[f"increase_{k}_pct"] = parts[k][t]
            inc = bd[t] - bd[t - 1]
            row.update(band_d=bd[t], band_d_increase=inc, band_d_increase_per_week=inc / 52,
                       band_d_increase_pct=inc / bd[t - 1], band_a_increase_per_week=inc * 6 / 9 / 52)
        row.update(**{"yield": tb[t] * bd[t] / unit}, collection_fund=cfund[t], council_tax=ctax[t])
        if rl is not None:
            row["referendum_limit"] = rl[t] if t else None
        for b, n in BANDS.items():
            row[f"band_{b}"] = bd[t] * n / 9
        if pp is not None:
            row["parish_precepts"] = pp[t]
        ct_rows.append(row)

    gross_gap = [ne[t] - funding[t] for t in rng]

    # ---------------- savings ----------------
    ragc = dict(RAG)
    ragc.update({k: rate(v) for k, v in (scn.get("rag_confidence") or {}).items()})
    disc = rate(scn.get("discount_rate", "3.5%"))
    sav_rows, str_rows = [], []
    savings = [0.0] * (T + 1)
    one_off = [0.0] * (T + 1)
    impl_res = [0.0] * (T + 1)
    risk_sav = [0.0] * (T + 1)
    cat_tot = {}
    for s in scn.get("savings") or []:
        kind = s["kind"]
        if kind == "fixed":
            gross = levels(c.amt(s["saving"]), s.get("recurring", True))
        elif kind == "share_of_line":
            ph = c.rs(s.get("phasing"), 1.0) if s.get("phasing") is not None else [1.0] * (T + 1)
            red = rate(s["reduction"])
            base = comp_cost[s["line"]][s["component"]] if s.get("component") else line_cost[s["line"]]
            gross = [0.0] + [base[t] * red * ph[t] for t in range(1, T + 1)]
        else:
            vol = c.vs(s["volume"])
            ppy = float(s.get("periods_per_year", 52))
            gr = c.rs(s.get("unit_cost_growth"))
            idx = [1.0]
            for t in range(1, T + 1):
                idx.append(idx[-1] * (1 + gr[t]))
            to = [float(s["unit_cost_to"]) * idx[t] for t in rng]
            if s.get("moves_from"):
                ln = s["moves_from"]
                lx = line_extra[ln]
                gross = [0.0] + [min(vol[t], lx["vol"][t]) * (lx["ucost"][t] * lx["ppy"] - to[t] * ppy) / unit
                                 for t in range(1, T + 1)]
            else:
                fr = [float(s["unit_cost_from"]) * idx[t] for t in rng]
                gross = [0.0] + [vol[t] * (fr[t] - to[t]) * ppy / unit for t in range(1, T + 1)]
        fin = [0.0] * (T + 1)
        capital_total = 0.0
        cap = s.get("capital")
        tranches = []
        if cap:
            ca = c.amt(cap["amount"]); n = int(cap["life"]); r = rate(cap.get("interest_rate", 0))
            meth = cap.get("method", "annuity")
            capital_total = sum(ca)
            for sp in range(1, T + 1):
                if ca[sp]:
                    tranches.append((sp, ca[sp]))
                    for k in range(1, n + 1):
                        if sp + k <= T:
                            fin[sp + k] += stream_payment(ca[sp], r, n, k, meth)
        imp = c.amt(s.get("implementation_cost"))
        fb = s.get("funded_by", "revenue")
        net = [gross[t] - fin[t] for t in rng]
        conf_raw = s.get("confidence", 1.0)
        if isinstance(conf_raw, str) and conf_raw in ragc:
            conf, ragw = ragc[conf_raw], conf_raw
        else:
            conf, ragw = rate(conf_raw), None
        cat = s.get("category") or KIND_CAT[kind]
        ct_ = cat_tot.setdefault(cat, [0.0] * (T + 1))
        for t in range(1, T + 1):
            savings[t] += net[t]
            risk_sav[t] += conf * net[t]
            ct_[t] += net[t]
            if fb == "revenue":
                one_off[t] += imp[t]
            elif fb == "reserves":
                impl_res[t] += imp[t]
            sav_rows.append(dict(stream=s["name"], year=L[t], gross_saving=gross[t], financing_cost=fin[t],
                                 implementation_cost=imp[t], net_saving=net[t]))
        # appraisal (decisions.md): payback (net of financing) is the first plan year from which the
        # cumulative net flow (gross - financing - implementation) is >= 0 for the rest of the plan;
        # capital payback, the first year from which cumulative gross savings cover the capital and
        # implementation costs spent so far, for the rest of the asset's life. Both count from the
        # first outlay (the first year with capital spent or an implementation cost), and neither
        # comes before the first year with a saving.
        flow = [gross[t] - fin[t] - imp[t] for t in rng]
        ca0 = c.amt(cap["amount"]) if cap else [0.0] * (T + 1)
        appraised = bool(cap) or any(imp)
        outlays = [t for t in range(1, T + 1) if ca0[t] != 0 or imp[t] != 0]
        first = outlays[0] if outlays else 1

        saves = [t for t in range(1, T + 1) if gross[t] > 0]
        first_saving = saves[0] if saves else None      # no payback before something is saved

        def stays_nonneg(values, labels_of):
            """The label of the first year, not before the first saving, from which the running sum
            stays >= 0, else None."""
            found, cum = None, 0.0
            for t, v in values:
                cum += v
                if cum < 0:
                    found = None
                elif found is None and first_saving is not None and t >= first_saving:
                    found = labels_of(t)
            return found

        pb = (stays_nonneg([(t, flow[t]) for t in range(first, T + 1)], lambda t: L[t]) or "beyond the plan"
              if appraised else "")
        cpb = ""
        npv = None
        if cap:
            n = int(cap["life"]); r = rate(cap.get("interest_rate", 0)); meth = cap.get("method", "annuity")
            H = max([T] + [sp + n for sp, _ in tranches])
            fl, cash = [], []
            for t in range(1, H + 1):
                g_t = gross[t] if t <= T else gross[T]
                f_t = sum(stream_payment(P, r, n, t - sp, meth) for sp, P in tranches if 1 <= t - sp <= n)
                i_t = imp[t] if t <= T else 0.0
                fl.append(g_t - f_t - i_t)
                if t >= first:
                    cash.append((t, g_t - (ca0[t] if t <= T else 0.0) - i_t))
            cpb = stays_nonneg(cash, lambda t: label(c.y0, t)) or "not within its life"
            # NPV: net flows from the first plan year (discounted t years) to the end of the last
            # tranche's repayments, gross continuing at its final plan-year level.
            npv = sum(f / (1 + disc) ** (i + 1) for i, f in enumerate(fl))
        str_rows.append(dict(stream=s["name"], kind=kind, rag=ragw or "", confidence=conf, capital=capital_total,
                             gross_saving=sum(gross), financing_cost=sum(fin), implementation_cost=sum(imp),
                             funded_by=fb, net_saving=sum(net), net_saving_after_one_off_costs=sum(net) - sum(imp),
                             final_year_net_saving=net[T],
                             payback_year=pb, capital_payback_year=cpb, npv=npv))

    net_gap = [gross_gap[t] - savings[t] + one_off[t] for t in rng]
    net_gap[0] = gross_gap[0]
    risk = [net_gap[t] + (savings[t] - risk_sav[t]) + grant_risk[t] for t in rng]

    # ---------------- reserves (run) ----------------
    first_mg = next((r for r in reserves if r["mg"]), None)
    if first_mg is None:
        first_mg = next((r for r in reserves if r["kind"] == "general" and not r["rf"]), None)
    any_mg = any(r["mg"] for r in reserves)
    res_rows = []
    summ = []
    prev_sst = None
    gap_rows = {}
    drawn_any = {}
    for t in range(1, T + 1):
        rec = {id(r): dict(opening=r["bal"], contributions=0.0, planned_use=0.0, implementation_costs=0.0,
                           unplanned_use=0.0, surplus_added=0.0) for r in reserves}
        for r in reserves:
            r["bal"] += r["contrib"][t]
            rec[id(r)]["contributions"] = r["contrib"][t]
            p = min(r["plan"][t], r["bal"])
            r["bal"] -= p
            rec[id(r)]["planned_use"] = p
        unfunded = 0.0
        imp_short = 0.0
        if impl_res[t]:
            if first_mg is not None:
                x = min(impl_res[t], first_mg["bal"])
                first_mg["bal"] -= x
                rec[id(first_mg)]["implementation_costs"] = x
                imp_short = impl_res[t] - x
            else:
                imp_short = impl_res[t]
            unfunded += imp_short
        planned = sum(rec[id(r)]["planned_use"] for r in reserves)
        sst = net_gap[t] - planned
        unpl = 0.0
        surplus = 0.0
        if sst > 0:
            rem = sst
            for r in reserves:
                if r["mg"] and rem > 0:
                    x = min(rem, r["bal"])
                    r["bal"] -= x
                    rec[id(r)]["unplanned_use"] = x
                    rem -= x
                    unpl += x
            unfunded += rem
        elif sst < 0:
            surplus = -sst
            if first_mg is not None:
                first_mg["bal"] += -sst
                rec[id(first_mg)]["surplus_added"] = -sst
        for r in reserves:
            d = rec[id(r)]
            res_rows.append(dict(reserve=r["name"], year=L[t], **d, closing=r["bal"]))
        closing = sum(r["bal"] for r in reserves if not r["rf"])
        minimum = 0.0
        for r in reserves:
            if r["rf"]:
                continue
            m = r.get("minimum", 0) or 0
            minimum += rate(m) * ne[t] if is_pct(m) else float(m)
        drawn = planned + unpl
        if unfunded > 0 and any_mg:
            status = "reserves exhausted"
        elif unfunded > 0:
            status = "unbalanced"
        elif closing < minimum:
            status = "below minimum reserves"
        elif drawn > 0:
            status = "balanced with reserves"
        else:
            status = "balanced"
        summ.append(dict(year=L[t], net_expenditure=ne[t], funding=funding[t], gross_gap=gross_gap[t],
                         savings=savings[t], one_off_costs=one_off[t], net_gap=net_gap[t],
                         incremental_gap=net_gap[t] - net_gap[t - 1], risk_adjusted_net_gap=risk[t],
                         reserves_drawn=drawn, closing_reserves=closing, minimum_reserves=minimum, status=status,
                         reserve_contributions=reserve_contrib[t], planned_reserves_use=planned,
                         savings_still_to_find=sst, unplanned_reserves_use=unpl, unfunded_gap=unfunded,
                         usable_reserves_pct=closing / ne[t]))
        g = gap_rows
        g.setdefault("gross_gap", []).append(gross_gap[t])
        g.setdefault("one_off_costs", []).append(one_off[t])
        for cat, v in cat_tot.items():
            g.setdefault(f"savings:{cat}", []).append(-v[t])
        g.setdefault("net_gap", []).append(net_gap[t])
        for r in reserves:
            g.setdefault(f"planned_use:{r['name']}", []).append(-rec[id(r)]["planned_use"])
        g.setdefault("planned_reserves_use", []).append(0.0)
        g.setdefault("savings_still_to_find", []).append(sst)
        g.setdefault("savings_still_to_find_in_year", []).append(sst - (prev_sst if prev_sst is not None else 0.0))
        prev_sst = sst
        g.setdefault("unplanned_reserves_use", []).append(-unpl)
        g.setdefault("surplus_to_reserves", []).append(surplus)
        g.setdefault("unfunded_implementation_costs", []).append(imp_short)
        g.setdefault("unfunded_gap", []).append(unfunded)

    for r in reserves:
        k = f"planned_use:{r['name']}"
        if k in gap_rows and not any(gap_rows[k]):
            del gap_rows[k]
    if any(k.startswith("planned_use:") for k in gap_rows):
        gap_rows.pop("planned_reserves_use", None)
    lines_rows = []
    for t in rng:
        for ln in lines:
            n = ln["name"]; x = line_extra[n]
            lines_rows.append(dict(year=L[t], line=n, cost=line_cost[n][t], group=x.get("group") or "",
                                   volume=x["vol"][t] if x["vol"] else None,
                                   unit_cost=x["ucost"][t] if x["ucost"] else None,
                                   workforce=x["wfc"][t], contracts=x["con"][t], contractual_inflation=x["ci"][t]))
        if cap_fin is not None:
            lines_rows.append(dict(year=L[t], line="Capital financing (MRP and interest)", cost=cap_fin[t]))
            if any(rcco):
                lines_rows.append(dict(year=L[t], line="Revenue contributions to capital", cost=rcco[t]))
    con_rows = []
    for t in rng:
        for k in contracts:
            ln, v = contract_cost[k["name"]]
            con_rows.append(dict(year=L[t], contract=k["name"], line=ln, uplift=contract_uplift[k["name"]][t],
                                 cost=v[t], contractual_inflation=v[t] - v[0]))
    if cf is not None and cf.get("existing_debt_charges"):
        for t in rng:
            e = c._edc[t]
            cap_rows.append(dict(scheme="Existing debt", year=L[t], debt_charges=e, revenue_cost=e))
    out = {"summary.csv": summ, "lines.csv": lines_rows, "funding.csv": fund_rows, "savings.csv": sav_rows,
           "streams.csv": str_rows, "reserves.csv": res_rows, "council_tax.csv": ct_rows,
           "gap_table.csv": gap_rows}
    if wf:
        out["workforce.csv"] = wf_rows
    if contracts:
        out["contracts.csv"] = con_rows
    if prog:
        out["capital.csv"] = cap_rows
    return out


# ============================================================================ generator


ASSUMP = ["pay", "prices", "care_fees", "energy", "cpi", "rpi"]
ALL_BLOCKS = ["pressures", "ctax", "grants", "reserves", "sav_fixed", "sav_share", "sav_unit",
              "sav_capital", "impl", "volume", "workforce", "contracts", "capital"]


def lab(y0, t):
    y = y0 + t
    return f"{y}/{(y + 1) % 100:02d}"


class G:
    def __init__(self, seed, blocks):
        self.r = np.random.default_rng(seed)
        self.b = set(blocks)
        self.T = int(self.r.integers(1, 7))
        self.y0 = int(self.r.integers(2020, 2030))

    def u(self, a, b, nd=3):
        return round(float(self.r.uniform(a, b)), nd)

    def ch(self, xs):
        return xs[int(self.r.integers(len(xs)))]

    def p(self, x):  # spell a rate
        return f"{round(x * 100, 3)}%" if self.r.random() < 0.6 else round(x, 5)

    def rate_series(self, lo, hi, names=True):
        k = self.r.random()
        T = self.T
        if names and k < 0.25:
            return self.ch(ASSUMP + ["none"])
        if k < 0.5:
            return self.p(self.u(lo, hi, 4))
        if k < 0.75:
            return [self.p(self.u(lo, hi, 4)) for _ in range(T)]
        m = {lab(self.y0, 1): self.p(self.u(lo, hi, 4))}
        for t in range(2, T + 1):
            if self.r.random() < 0.4:
                m[lab(self.y0, t)] = self.p(self.u(lo, hi, 4))
        return m

    def vol_series(self, lo, hi):
        T = self.T
        k = self.r.random()
        if k < 0.3:
            return self.u(lo, hi, 1)
        if k < 0.65:
            return [self.u(lo, hi, 1) for _ in range(T)]
        m = {lab(self.y0, 1): self.u(lo, hi, 1)}
        for t in range(2, T + 1):
            if self.r.random() < 0.4:
                m[lab(self.y0, t)] = self.u(lo, hi, 1)
        return m

    def amount_series(self, lo, hi, sparse=False):
        T = self.T
        k = self.r.random()
        if not sparse and k < 0.3:
            return self.u(lo, hi, 2)
        if k < 0.65:
            return [self.u(lo, hi, 2) if (not sparse or self.r.random() < 0.5) else 0 for _ in range(T)]
        return {lab(self.y0, t): self.u(lo, hi, 2) for t in range(1, T + 1) if self.r.random() < 0.5}

    def mix(self, n=None):
        n = n or int(self.r.integers(1, 4))
        names = list(self.r.choice(ASSUMP + ["none"], size=n, replace=False))
        cuts = sorted(self.r.choice(range(1, 100), size=n - 1, replace=False)) if n > 1 else []
        w = np.diff([0] + list(cuts) + [100])
        return {str(k): f"{int(v)}%" for k, v in zip(names, w)}

    def scenario(self):
        r, T, b = self.r, self.T, self.b
        units = self.ch(["£000", "£000", "£", "£m"]) if "ctax" in b else "£000"
        scale = {"£000": 1.0, "£": 1000.0, "£m": 0.001}[units]
        s = {"scenario": "rand", "base_year": lab(self.y0, 0), "units": units}
        if T != 4 or r.random() < 0.5:
            s["years"] = T
        ass = {}
        for a in ASSUMP:
            v = self.rate_series(-0.05, 0.08, names=False)
            ass[a] = {"value": v, "source": "gen"} if r.random() < 0.2 else v
        s["assumptions"] = ass
        lines = []
        nl = int(r.integers(1, 5))
        for i in range(nl):
            ln = {"name": f"Line {i}", "base": self.u(-2000, 60000, 2) * scale if i else self.u(20000, 90000, 2) * scale}
            if r.random() < 0.8:
                ln["cost_mix"] = self.mix()
            if r.random() < 0.6:
                ln["demand"] = self.rate_series(-0.03, 0.08)
            if r.random() < 0.3:
                ln["group"] = self.ch(["Adults", "Children", "Place"])
            lines.append(ln)
        s["expenditure"] = lines
        if "volume" in b:
            for i in range(int(r.integers(1, 3))):
                ln = {"name": f"Vol {i}", "unit_cost": self.u(100, 6000, 2),
                      "periods_per_year": self.ch([52, 52, 1, 12, 365])}
                if r.random() < 0.5:
                    ln["volume"] = {"base": self.u(5, 200, 1), "growth": self.rate_series(-0.05, 0.1)}
                else:
                    ln["volume"] = {"base": self.u(5, 200, 1), "values": self.vol_series(50, 300)}
                if r.random() < 0.8:
                    ln["cost_mix"] = self.mix()
                lines.append(ln)
        base_lines = [l for l in lines if "base" in l and l["base"] > 5000 * scale]
        if "workforce" in b and base_lines:
            groups = []
            for i in range(int(r.integers(1, 4))):
                fte = self.u(5, 800, 1)
                g = {"name": f"Grp {i}", "fte": fte, "average_salary": self.u(4000, 90000, 0),
                     "pay_award": self.rate_series(0, 0.06)}
                if r.random() < 0.5: g["headcount"] = round(fte * self.u(1, 1.6), 1)
                if r.random() < 0.5: g["drift"] = self.p(self.u(0, 0.03, 4))
                if r.random() < 0.5: g["vacancy"] = self.p(self.u(0, 0.1, 4))
                groups.append(g)
            wf = {"employer_ni": {"base_rate": self.p(self.u(0.1, 0.15, 4)), "base_threshold": self.u(4000, 10000, 0),
                                  "rate": self.rate_series(0.1, 0.16, names=False),
                                  "threshold": self.vol_series(4000, 10000)},
                  "employer_pension": {"base_rate": self.p(self.u(0.1, 0.25, 4)),
                                       "rate": self.rate_series(0.1, 0.25, names=False)},
                  "groups": groups}
            if r.random() < 0.5:
                wf["apprenticeship_levy"] = {"rate": self.p(self.u(0, 0.01, 4)), "allowance": self.u(0, 3e6, 0)}
            s["workforce"] = wf
            # shares: keep carved cost well below base
            for g in groups:
                ln = self.ch(base_lines)
                cost = g["fte"] * g["average_salary"] * 1.4 / 1000 * scale
                sh = min(0.15 * ln["base"] / cost, 1.0) if cost else 1.0
                w = round(self.u(0.05, 0.6) * sh, 4)
                if w > 0:
                    ln.setdefault("pay_from", {})[g["name"]] = f"{round(w * 100, 2)}%"
                    ln2 = self.ch(base_lines)
                    if ln2 is not ln and r.random() < 0.4:
                        ln2.setdefault("pay_from", {})[g["name"]] = f"{round(w * 50, 2)}%"
        if "contracts" in b and base_lines:
            cons = []
            for i in range(int(r.integers(1, 4))):
                ln = self.ch(base_lines)
                c = {"name": f"Con {i}", "line": ln["name"], "value": round(ln["base"] * self.u(0.02, 0.12), 2),
                     "index": self.rate_series(-0.01, 0.08)}
                if r.random() < 0.6: c["lag"] = int(r.integers(0, 4))
                if r.random() < 0.5: c["base_index"] = self.p(self.u(0, 0.06, 4))
                if r.random() < 0.5: c["cap"] = self.p(self.u(0.02, 0.06, 4))
                if r.random() < 0.5: c["collar"] = self.p(self.u(-0.01, 0.02, 4))
                if r.random() < 0.4: c["start"] = lab(self.y0, int(r.integers(-3, T + 1)))
                if r.random() < 0.4: c["end"] = lab(self.y0, int(r.integers(1, T + 3)))
                if "start" in c and "end" in c and c["start"] > c["end"]:
                    del c["start"]
                cons.append(c)
            s["contracts"] = cons
        if "pressures" in b:
            s["pressures"] = [{"name": f"P{i}", "amount": self.amount_series(-200, 3000),
                               **({"recurring": bool(r.random() < 0.5)} if r.random() < 0.6 else {})}
                              for i in range(int(r.integers(1, 4)))]
        tot = sum(max(l.get("base", 0), 0) for l in lines) or 10000 * scale
        ct = {"tax_base": self.u(20000, 150000, 1), "band_d": 0}
        share_ct = self.u(0.3, 0.7)
        ct["band_d"] = round(tot * share_ct / scale * 1000 / ct["tax_base"], 2)
        if "ctax" in b:
            if r.random() < 0.7: ct["tax_base_growth"] = self.rate_series(-0.01, 0.02)
            parts = {}
            for k in self.r.choice(["core", "adult_social_care", "extra"], size=int(r.integers(0, 3)), replace=False):
                parts[str(k)] = self.rate_series(0, 0.05)
            if parts: ct["increase"] = parts
            if r.random() < 0.4: ct["referendum_limit"] = self.rate_series(0.03, 0.06, names=False)
            if r.random() < 0.4: ct["collection_fund"] = self.amount_series(-500 * scale, 500 * scale)
            if r.random() < 0.4:
                ct["parish_precepts"] = ({"base": self.u(100, 900) * scale, "growth": self.rate_series(0, 0.05)}
                                         if r.random() < 0.5 else {"base": self.u(100, 900) * scale,
                                                                   "values": self.amount_series(100 * scale, 999 * scale)})
        else:
            ct["increase"] = {"core": self.p(0.0299)}
        f = {"council_tax": ct}
        rest = tot * (1 - share_ct)
        if r.random() < 0.8:
            f["business_rates"] = ({"base": round(rest * 0.4, 2), "growth": self.rate_series(-0.02, 0.04)}
                                   if r.random() < 0.6 else {"base": round(rest * 0.4, 2),
                                                             "values": self.amount_series(rest * 0.3, rest * 0.5)})
        grants = []
        for i in range(int(r.integers(0, 4))):
            gbase = round(rest * self.u(0.05, 0.3), 2)
            g = {"name": f"Grant {i}"}
            k = r.random()
            if k < 0.4: g.update(base=gbase, growth=self.rate_series(-0.05, 0.05))
            elif k < 0.7: g.update(base=gbase, values=self.amount_series(gbase * 0.5, gbase * 1.5))
            elif k < 0.85: g.update(values=self.amount_series(gbase * 0.5, gbase * 1.5))
            else: g.update(base=gbase)
            if "grants" in b:
                if r.random() < 0.5: g["certainty"] = self.ch(["confirmed", "indicative", "assumed"])
                if r.random() < 0.4: g["ends"] = lab(self.y0, int(r.integers(0, T + 2)))
            grants.append(g)
        if grants: f["grants"] = grants
        if "grants" in b and r.random() < 0.4:
            s["grant_confidence"] = {k: self.p(self.u(0.2, 1)) for k in ["indicative", "assumed", "confirmed"] if r.random() < 0.5}
        s["funding"] = f
        # reserves
        if "reserves" in b:
            k = r.random()
            if k < 0.1:
                pass
            elif k < 0.15:
                s["reserves"] = []
            elif k < 0.3:
                s["reserves"] = {"opening": self.u(0, 20000) * scale, "minimum": self.ch([f"{int(r.integers(1, 8))}%", round(self.u(1, 5000) * scale, 2)]),
                                 **({"use_to_balance": bool(r.random() < 0.6)} if r.random() < 0.5 else {})}
            else:
                res = []
                for i in range(int(r.integers(1, 5))):
                    rv = {"name": f"Res {i}", "kind": self.ch(["general", "earmarked"]),
                          "opening": self.ch([0, round(self.u(0, 15000) * scale, 2)])}
                    if r.random() < 0.4: rv["minimum"] = self.ch([f"{int(r.integers(1, 8))}%", round(self.u(1, 5000) * scale, 2)])
                    if r.random() < 0.4: rv["planned_use"] = self.amount_series(0, 4000 * scale, sparse=True)
                    if r.random() < 0.3: rv["contributions"] = self.amount_series(0, 2000 * scale, sparse=True)
                    if r.random() < 0.2 and rv["kind"] == "earmarked": rv["ring_fenced"] = True
                    elif r.random() < 0.4: rv["meets_gap"] = bool(r.random() < 0.5)
                    res.append(rv)
                s["reserves"] = res
        else:
            s["reserves"] = {"opening": 10000 * scale, "minimum": "3%"}
        # savings
        sav = []
        def common(st):
            if r.random() < 0.6:
                st["confidence"] = self.ch(["green", "amber", "red", self.p(self.u(0, 1, 3)), self.u(0, 1, 3)])
            if r.random() < 0.3: st["category"] = self.ch(["Efficiency", "Income"])
            if "impl" in b and r.random() < 0.5:
                st["implementation_cost"] = self.amount_series(0, 800 * scale, sparse=True)
                if r.random() < 0.7: st["funded_by"] = self.ch(["revenue", "reserves", "capital_receipts"])
            if "sav_capital" in b and r.random() < 0.5:
                st["capital"] = {"amount": self.amount_series(0, 3000 * scale, sparse=True), "life": int(r.integers(1, 30))}
                if r.random() < 0.7: st["capital"]["interest_rate"] = self.p(self.u(0, 0.07, 4))
                if r.random() < 0.5: st["capital"]["method"] = self.ch(["annuity", "straight_line"])
            return st
        if "sav_fixed" in b or "impl" in b or "sav_capital" in b:
            for i in range(int(r.integers(1, 4))):
                st = {"name": f"Fix {i}", "kind": "fixed", "saving": self.amount_series(0, 2000 * scale)}
                if r.random() < 0.4: st["recurring"] = bool(r.random() < 0.5)
                sav.append(common(st))
        if "sav_share" in b:
            for i in range(int(r.integers(1, 3))):
                ln = self.ch(lines)
                st = {"name": f"Share {i}", "kind": "share_of_line", "line": ln["name"],
                      "reduction": self.p(self.u(0.01, 0.5, 4))}
                if "cost_mix" in ln and r.random() < 0.5:
                    st["component"] = self.ch(list(ln["cost_mix"]))
                if r.random() < 0.6: st["phasing"] = self.rate_series(0.2, 1.0, names=False)
                sav.append(common(st))
        if "sav_unit" in b:
            vlines = [l for l in lines if "volume" in l]
            for i in range(int(r.integers(1, 3))):
                st = {"name": f"Unit {i}", "kind": "unit_cost", "unit_cost_to": self.u(50, 3000, 2)}
                if vlines and r.random() < 0.5:
                    ln = self.ch(vlines)
                    st["moves_from"] = ln["name"]
                    st["volume"] = self.vol_series(0, 4)
                else:
                    st["unit_cost_from"] = self.u(st["unit_cost_to"], 6000, 2)
                    st["volume"] = self.vol_series(0, 30)
                if r.random() < 0.5: st["periods_per_year"] = self.ch([52, 12, 1])
                if r.random() < 0.5: st["unit_cost_growth"] = self.rate_series(-0.02, 0.06)
                sav.append(common(st))
        if sav: s["savings"] = sav
        if r.random() < 0.3:
            s["rag_confidence"] = {k: self.p(self.u(0.1, 1)) for k in ["green", "amber", "red"] if r.random() < 0.5}
        if r.random() < 0.3:
            s["discount_rate"] = self.p(self.u(0, 0.08, 4))
        if "capital" in b:
            cf = {"borrowing_rate": self.rate_series(0, 0.07)}
            if r.random() < 0.7:
                cf["existing_debt_charges"] = {"base": self.u(0, 5000) * scale}
                if r.random() < 0.5: cf["existing_debt_charges"]["values"] = self.amount_series(0, 5000 * scale)
            s["capital_financing"] = cf
            prog = []
            for i in range(int(r.integers(0, 4))):
                sc = {"name": f"Scheme {i}", "life": int(r.integers(1, 50))}
                for k in ["borrowing", "grants", "capital_receipts", "revenue"]:
                    if r.random() < 0.6: sc[k] = self.amount_series(0, 3000 * scale, sparse=True)
                if r.random() < 0.5: sc["method"] = self.ch(["annuity", "straight_line"])
                prog.append(sc)
            if prog: s["capital_programme"] = prog
        return s


def gen(seed, blocks):
    return G(seed, blocks).scenario()


# ============================================================================ running and comparing
KEYS = {"summary.csv": ("year",), "lines.csv": ("year", "line"), "funding.csv": ("year", "source"),
        "savings.csv": ("stream", "year"), "streams.csv": ("stream",), "reserves.csv": ("reserve", "year"),
        "council_tax.csv": ("year",), "workforce.csv": ("year", "group"), "contracts.csv": ("year", "contract"),
        "capital.csv": ("scheme", "year")}


def run_tool(path, out):
    from mtfpmodel.cli import main  # only to run the tool
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            rc = main(["run", str(path), "--out", str(out), "--no-report", "--no-charts"])
        except SystemExit as e:
            rc = e.code
    return rc or 0, err.getvalue()


def read_csv(out, f):
    p = os.path.join(out, f)
    if not os.path.exists(p):
        return None
    with open(p, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def same(exp, got, atol):
    if exp is None:
        return got in ("", None)
    if isinstance(exp, str):
        return exp == got
    if got in ("", None):
        return False
    try:
        a, b = float(exp), float(got)
    except ValueError:
        return False
    return abs(a - b) <= atol + 1e-11 * max(abs(a), abs(b))


def compare(scn, out):
    ora = oracle(scn)
    atol = 1e-6 * 1000.0 / UNIT[scn.get("units", "£000")]
    diffs = []
    for f, rows in ora.items():
        tool = read_csv(out, f)
        if tool is None:
            diffs.append((f, "file missing"))
            continue
        if f == "gap_table.csv":
            tk = {r["key"]: r for r in tool}
            yrs = [c for c in (tool[0].keys() if tool else []) if c not in ("item", "key")]
            for k, vals in rows.items():
                if k not in tk:
                    optional = k.startswith(("surplus", "savings:", "unfunded_impl"))
                    if not optional or any(abs(v) > 1e-9 for v in vals):
                        diffs.append((f, k, "row missing in tool"))
                    continue
                for y, v in zip(yrs, vals):
                    if not same(v, tk[k][y], atol):
                        diffs.append((f, k, y, tk[k][y], v))
            diffs += [(f, k, "extra row in tool") for k in tk if k not in rows]
            continue
        keys = KEYS[f]
        tmap = {tuple(r[k] for k in keys): r for r in tool}
        omap = {tuple(r[k] for k in keys): r for r in rows}
        for k, orow in omap.items():
            if k not in tmap:
                diffs.append((f, k, "row missing in tool"))
                continue
            for col, v in orow.items():
                if col in keys:
                    continue
                if col not in tmap[k]:
                    diffs.append((f, k, col, "column missing"))
                elif not same(v, tmap[k][col], atol):
                    diffs.append((f, k, col, tmap[k][col], v))
        diffs += [(f, k, "extra row in tool") for k in tmap if k not in omap]
    return diffs


def check(scn, tmp):
    p = os.path.join(tmp, "s.yaml")
    with open(p, "w", encoding="utf-8") as fh:
        yaml.safe_dump(scn, fh, allow_unicode=True, sort_keys=False)
    out = os.path.join(tmp, "out")
    rc, err = run_tool(p, out)
    assert rc == 0, f"tool rejected a generated scenario:\n{err[-600:]}\n{yaml.safe_dump(scn)}"
    return compare(scn, out)


# ============================================================================ tests
BLOCK_SETS = {"core": [], **{b: [b] for b in ALL_BLOCKS},
              "volume+sav_unit": ["volume", "sav_unit"],
              "workforce+contracts+sav_share": ["workforce", "contracts", "sav_share"],
              "impl+reserves": ["impl", "reserves"], "sav_capital+impl": ["sav_capital", "impl"],
              "all": ALL_BLOCKS}
N_PER_BLOCK = 16
N_ALL = 100


@pytest.mark.parametrize("block", list(BLOCK_SETS))
def test_random_plans_agree(block, tmp_path):
    n = N_ALL if block == "all" else N_PER_BLOCK
    base = 100_000 + 1000 * list(BLOCK_SETS).index(block)
    bad = {}
    for seed in range(base, base + n):
        d = tmp_path / str(seed)
        d.mkdir()
        diffs = check(gen(seed, BLOCK_SETS[block]), str(d))
        if diffs:
            bad[seed] = diffs[:5]
    assert not bad, bad


HERE = Path(__file__).parent
SHIPPED = [str(p) for p in sorted([*(HERE / "scenarios").glob("*.yaml"), *(HERE.parent / "scenarios").glob("*.yaml")])
           if "extends" not in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})]


@pytest.mark.parametrize("path", SHIPPED, ids=os.path.basename)
def test_shipped_scenarios_agree(path, tmp_path):
    scn = yaml.safe_load(open(path, encoding="utf-8"))
    rc, err = run_tool(path, tmp_path)
    assert rc == 0, err
    assert compare(scn, str(tmp_path)) == []


PARENT = """
scenario: parent
base_year: "2024/25"
assumptions: {pay: [3%, 2.5%, 2%, 2%], prices: {value: 2%, source: x}}
expenditure:
  - {name: A, base: 1000, cost_mix: {pay: 60%, prices: 40%}, demand: 2%}
  - {name: B, base: 500, cost_mix: {prices: 100%}}
  - {name: C, base: 300}
pressures: [{name: P, amount: 10}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000, tax_base_growth: 1%, increase: {core: 2.99%, adult_social_care: 2%}}
  business_rates: {base: 200, growth: prices}
  grants: [{name: G1, base: 100, growth: 1%}, {name: G2, values: 50, certainty: assumed}]
reserves:
  - {name: GF, kind: general, opening: 500, minimum: 5%}
  - {name: ER, kind: earmarked, opening: 200, planned_use: [50, 0, 0, 0]}
savings:
  - {name: S1, kind: fixed, saving: 20, confidence: amber}
  - {name: S2, kind: share_of_line, line: A, component: pay, reduction: 10%}
"""
CHILD = """
extends: parent.yaml
scenario: child
assumptions: {pay: 4%}
expenditure:
  - {name: A, demand: 5%}
  - {name: C, remove: true}
  - {name: D, base: 50}
funding:
  council_tax: {increase: {core: 4.99%}}
  grants: [{name: G2, ends: "2026/27"}]
reserves:
  - {name: ER, planned_use: {2026/27: 30}}
savings:
  - {name: S1, remove: true}
"""
MERGED = """
scenario: child
base_year: "2024/25"
assumptions: {pay: 4%, prices: {value: 2%, source: x}}
expenditure:
  - {name: A, base: 1000, cost_mix: {pay: 60%, prices: 40%}, demand: 5%}
  - {name: B, base: 500, cost_mix: {prices: 100%}}
  - {name: D, base: 50}
pressures: [{name: P, amount: 10}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000, tax_base_growth: 1%, increase: {core: 4.99%, adult_social_care: 2%}}
  business_rates: {base: 200, growth: prices}
  grants: [{name: G1, base: 100, growth: 1%}, {name: G2, values: 50, certainty: assumed, ends: "2026/27"}]
reserves:
  - {name: GF, kind: general, opening: 500, minimum: 5%}
  - {name: ER, kind: earmarked, opening: 200, planned_use: {2026/27: 30}}
savings:
  - {name: S2, kind: share_of_line, line: A, component: pay, reduction: 10%}
"""


def test_extends_merge_agrees(tmp_path):
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(CHILD, encoding="utf-8")
    rc, err = run_tool(tmp_path / "child.yaml", tmp_path / "out")
    assert rc == 0, err
    assert compare(yaml.safe_load(MERGED), str(tmp_path / "out")) == []


def _streams(yaml_text, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(yaml_text, encoding="utf-8")
    rc, err = run_tool(p, tmp_path / "out")
    assert rc == 0, err
    scn = yaml.safe_load(yaml_text)
    tool = {r["stream"]: r for r in read_csv(str(tmp_path / "out"), "streams.csv")}
    ora = {r["stream"]: r for r in oracle(scn)["streams.csv"]}
    return tool, ora


PB_IMPL = """
scenario: pb-impl
base_year: "2024/25"
years: 4
expenditure: [{name: Services, base: 1000}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
savings:
  - {name: S, kind: fixed, saving: {2025/26: 100}, implementation_cost: {2027/28: 50}}
"""
PB_CAP = """
scenario: pb-cap
base_year: "2024/25"
years: 4
expenditure: [{name: Services, base: 1000}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
savings:
  - {name: S, kind: fixed, saving: {2025/26: 100}, capital: {amount: {2027/28: 300}, life: 5}}
"""


def test_no_payback_before_the_money_is_spent(tmp_path):
    # Saving 100 a year from 2025/26, a one-off cost of 50 in 2027/28: counted from the cost, 100 − 50
    # is at or above zero at once → 2027/28 (the written rule from year 1 would say 2025/26, before
    # the cost; the tool and the docs both count from the first outlay).
    tool, ora = _streams(PB_IMPL, tmp_path)
    assert ora["S"]["payback_year"] == tool["S"]["payback_year"] == "2027/28"


def test_no_capital_payback_before_the_capital_is_spent(tmp_path):
    # Saving 100 a year from 2025/26, capital 300 in 2027/28 over 5 years. Cash from 2027/28:
    # 100 − 300 = −200, −100, 0 → covered in 2029/30. Net of financing (repaid from 2028/29), 100 in
    # 2027/28 → 2027/28. Before: 2025/26 on both, two years before any capital was spent.
    tool, ora = _streams(PB_CAP, tmp_path)
    assert ora["S"]["capital_payback_year"] == tool["S"]["capital_payback_year"] == "2029/30"
    assert ora["S"]["payback_year"] == tool["S"]["payback_year"] == "2027/28"


def test_a_ring_fenced_general_reserve_is_a_plan_the_contract_allows(tmp_path):
    # "A ring-fenced reserve never meets gaps, whatever its kind": before, the tool refused it.
    text = """
scenario: rf-general
base_year: "2024/25"
years: 1
expenditure: [{name: Services, base: 1000}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
reserves:
  - {name: Schools balances, kind: general, ring_fenced: true, opening: 10}
  - {name: GF, kind: general, opening: 10}
"""
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    rc, err = run_tool(p, tmp_path / "out")
    assert rc == 0, err
    assert compare(yaml.safe_load(text), str(tmp_path / "out")) == []
