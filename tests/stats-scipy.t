#!/usr/bin/python3
# The harness's statistics (harness/verdict/stats*.c, through the
# build/tests/stats-grid tool) against SciPy's and statsmodels' on grids of
# tables that include the 0 and N edges.  python3-scipy and
# python3-statsmodels come from Debian and are used only here.
import itertools
import os
import random
import subprocess
import sys
import warnings

from scipy.stats import (binom, binomtest, fisher_exact, mannwhitneyu, multinomial, norm,
                         wilcoxon)
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

# the approximation is asked for on purpose, small samples included
warnings.filterwarnings("ignore", "Sample size too small")
TOOL = os.path.join(os.environ.get("BUILD", "build"), "tests", "stats-grid")
n_test = 0
failed = 0


def ok(cond, name):
    global n_test, failed
    n_test += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_test, name))
    failed += 0 if cond else 1


def ask(lines):
    out = subprocess.run([TOOL], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert len(out) == len(lines), "stats-grid answered %d of %d" % (len(out), len(lines))
    return [[float(w) for w in l.split()] for l in out]


def compare(name, cases, ours, theirs, tol=1e-9):
    """cases: the requests; theirs: the reference values, row by row."""
    worst = (0.0, None)
    for c, a, b in zip(cases, ours, theirs):
        for x, y in zip(a, b):
            d = abs(x - y)
            if d > worst[0]:
                worst = (d, (c, a, b))
    ok(worst[0] <= tol, "%s: %d cases agree within %g (worst %.3g%s)" % (
        name, len(cases), tol, worst[0], "" if worst[0] <= tol else " at %r" % (worst[1],)))


def fisher_cases():
    sizes = [1, 2, 3, 4, 5, 6, 8, 10, 20]
    cases, ref = [], []
    for nb, nm in itertools.product(sizes, sizes):
        for kb in range(nb + 1):
            for km in range(nm + 1):
                cases.append("fisher %d %d %d %d" % (kb, nb, km, nm))
                t = [[kb, nb - kb], [km, nm - km]]
                ref.append([fisher_exact(t, alternative="greater").pvalue,
                            fisher_exact(t, alternative="less").pvalue])
    compare("Fisher, both tails", cases, ask(cases), ref)
    cases = [c.replace("fisher ", "fisher2 ") for c in cases]
    ref = []
    for c in cases:
        ka, na, kb, nb = map(int, c.split()[1:])
        ref.append([fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue])
    compare("Fisher two-sided (compare)", cases, ask(cases), ref)
    zero = ask(["fisher 0 0 0 0", "fisher 3 3 0 0", "fisher 0 0 2 4"])
    ok(all(r == [1.0, 1.0] for r in zero), "Fisher: an empty arm gives p = 1 both ways")


def interval_cases():
    sizes = list(range(1, 13)) + [20, 30, 50]
    for method, word in (("exact", "cp"), ("wilson", "wilson")):
        cases, ref = [], []
        for n in sizes:
            for k in range(n + 1):
                for conf in (0.95, 0.9, 0.99):
                    cases.append("%s %d %d %g" % (word, k, n, conf))
                    ci = binomtest(k, n).proportion_ci(conf, method)
                    ref.append([ci.low, ci.high])
        compare("%s interval" % ("Clopper-Pearson" if word == "cp" else "Wilson"), cases,
                ask(cases), ref)
    cases, ref = [], []
    for n1, n2 in itertools.product([1, 3, 5, 8, 12], [1, 3, 5, 8, 12]):
        for k1 in range(n1 + 1):
            for k2 in range(n2 + 1):
                cases.append("newcombe %d %d %d %d 0.9" % (k1, n1, k2, n2))
                ref.append(list(confint_proportions_2indep(k1, n1, k2, n2, method="newcomb",
                                                           compare="diff", alpha=0.1)))
    compare("Newcombe interval of the difference", cases, ask(cases), ref)
    ps = [1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.95, 0.975, 0.999, 1 - 1e-6]
    cases = ["ppf %r" % p for p in ps]
    compare("normal quantile", cases, ask(cases), [[norm.ppf(p)] for p in ps], 1e-12)


def holm_cases():
    rng = random.Random(13)
    cases, ref = [], []
    for m in range(1, 8):
        for _ in range(30):
            p = [rng.choice([rng.random(), rng.random() / 50, 1.0, 0.05]) for _ in range(m)]
            cases.append("holm " + " ".join(repr(x) for x in p))
            ref.append(list(multipletests(p, method="holm")[1]))
    compare("Holm adjustment", cases, ask(cases), ref)


def mwu_cases():
    rng = random.Random(17)
    cases, ref, flat = [], [], []
    for nx, ny in itertools.product([1, 2, 3, 5, 8, 9, 12], [1, 2, 4, 8, 10]):
        for ties in (False, True):
            for _ in range(6):
                pick = (lambda: rng.randint(0, 6)) if ties else (lambda: rng.random() * 1000)
                x = [pick() for _ in range(nx)]
                y = [pick() for _ in range(ny)]
                line = "mwu %d %s %d %s" % (nx, " ".join(map(repr, x)), ny, " ".join(map(repr, y)))
                r = mannwhitneyu(x, y, alternative="greater")
                if r.pvalue != r.pvalue:     # every value tied: SciPy says nan
                    flat.append(line)
                    continue
                cases.append(line)
                ref.append([r.pvalue, r.statistic])
    compare("Mann-Whitney U, exact and with ties", cases, ask(cases), ref)
    flat.append("mwu 2 1 1 2 1 1")
    ok(all(r[0] == 1.0 for r in ask(flat)),
       "Mann-Whitney: all values tied (SciPy: nan) gives p = 1 (%d cases)" % len(flat))


def power_cases():
    cases, ref = [], []
    for n in range(1, 9):
        for pb, pm in ((1.0, 0.0), (0.9, 0.1), (0.8, 0.3), (0.6, 0.1), (0.5, 0.5)):
            for alpha in (0.05, 0.025):
                cases.append("power %g %g %d %g" % (pb, pm, n, alpha))
                pw = 0.0
                for kb in range(n + 1):
                    for km in range(n + 1):
                        t = [[kb, n - kb], [km, n - km]]
                        if fisher_exact(t, alternative="greater").pvalue <= alpha * (1 + 1e-9):
                            pw += binom.pmf(kb, n, pb) * binom.pmf(km, n, pm)
                ref.append([pw])
    compare("power of the Fisher test", cases, ask(cases), ref)
    # 1.0 vs 0.0: n = 3 gives p = 1/20 = 0.05, n = 4 p = 1/70
    got = ask(["reps 1 0 0.05 50", "reps 1 0 0.025 50", "reps 0.5 0.5 0.05 50", "reps 0.6 0.1 0.05 5"])
    ok([r[0] for r in got] == [3, 4, 0, 0],
       "repetitions for 80%% power: 3 at 0.05, 4 at 0.025, none without an effect or within 5 (%r)"
       % [r[0] for r in got])


def sequential_cases():
    """The seeds' plan (looks after 5 and 10 rounds, alpha split over the
    two): under no effect, the chance that either look shows a PASS,
    computed exactly over both looks' outcomes with the harness's own
    Fisher p-values, stays at most alpha."""
    alpha, looks = 0.05, 2
    level = alpha / looks
    tables = set()
    for kb in range(11):
        for km in range(11):
            tables.add((kb, 10, km, 10))
            if kb <= 5 and km <= 5:
                tables.add((kb, 5, km, 5))
    tables = sorted(tables)
    p = dict(zip(tables, (r[0] for r in ask(["fisher %d %d %d %d" % t for t in tables]))))
    worst = 0.0
    for rate in (0.2, 0.5, 0.8, 0.95):
        pmf5 = [binom.pmf(k, 5, rate) for k in range(6)]
        false_pass = 0.0
        for b1, m1, b2, m2 in itertools.product(range(6), repeat=4):
            w = pmf5[b1] * pmf5[m1] * pmf5[b2] * pmf5[m2]
            first = m1 < b1 and p[(b1, 5, m1, 5)] <= level
            second = m1 + m2 < b1 + b2 and p[(b1 + b2, 10, m1 + m2, 10)] <= level
            false_pass += w if first or second else 0.0
        worst = max(worst, false_pass)
    ok(worst <= alpha, "sequential plan 5/10: a false PASS at most alpha under no effect "
       "(worst %.4f over failure rates 0.2-0.95)" % worst)
    # the paired design on the same plan: pairs discordant either way at
    # the same rate, McNemar's p from the harness at each look
    counts = [(b, c) for b in range(11) for c in range(11 - b)]
    pm = dict(zip(counts, (r[0] for r in ask(["mcnemar %d %d" % bc for bc in counts]))))
    worst = 0.0
    for disc in (0.1, 0.4, 0.8, 1.0):
        tri = [(b, c, multinomial.pmf([b, c, 5 - b - c], 5, [disc / 2, disc / 2, 1 - disc]))
               for b in range(6) for c in range(6 - b)]
        false_pass = 0.0
        for b1, c1, w1 in tri:
            for b2, c2, w2 in tri:
                first = b1 > c1 and pm[(b1, c1)] <= level
                second = b1 + b2 > c1 + c2 and pm[(b1 + b2, c1 + c2)] <= level
                false_pass += w1 * w2 if first or second else 0.0
        worst = max(worst, false_pass)
    ok(worst <= alpha, "paired plan 5/10: a false PASS at most alpha under no effect "
       "(worst %.4f over discordance 0.1-1)" % worst)


def paired_cases():
    """The paired design: McNemar's exact test on the discordant pairs,
    the bound on the reduction, the power of the test, and the signed-rank
    test on the failed attempts."""
    cases, ref = [], []
    for b in range(0, 21):
        for c in range(0, 21):
            cases.append("mcnemar %d %d" % (b, c))
            m = b + c
            ref.append([binomtest(b, m, 0.5, alternative="greater").pvalue if m else 1.0,
                        binomtest(c, m, 0.5, alternative="greater").pvalue if m else 1.0])
    compare("McNemar exact, both tails", cases, ask(cases), ref)
    cases, ref = [], []
    for n in list(range(1, 13)) + [20, 30]:
        for b in range(n + 1):
            for level in (0.025, 0.0125, 0.05):
                cases.append("pbound %d %d %g" % (b, n, level))
                ref.append([binomtest(b, n).proportion_ci(1 - 2 * level, "exact").high])
    compare("paired reduction bound (one-sided Clopper-Pearson on p10)", cases, ask(cases), ref)
    cases, ref = [], []
    for n in range(1, 13):
        for p10, p01 in ((1.0, 0.0), (0.8, 0.0), (0.6, 0.1), (0.5, 0.2), (0.3, 0.3), (0.0, 0.0)):
            for alpha in (0.05, 0.025):
                cases.append("ppower %g %g %d %g" % (p10, p01, n, alpha))
                pw = 0.0
                for b in range(n + 1):
                    for c in range(n + 1 - b):
                        if b + c and binomtest(b, b + c, 0.5, alternative="greater").pvalue \
                                <= alpha * (1 + 1e-9):
                            pw += multinomial.pmf([b, c, n - b - c], n, [p10, p01, 1 - p10 - p01])
                ref.append([pw])
    compare("power of the McNemar test", cases, ask(cases), ref)
    # every pair discordant one way: p = 2^-b, so 5 pairs at 0.05, 6 at 0.025
    got = [r[0] for r in ask(["preps 1 0 0.05 50", "preps 1 0 0.025 50",
                               "preps 0.3 0.3 0.05 50", "preps 0.6 0.1 0.05 5"])]
    ok(got == [5, 6, 0, 0], "pairs for 80%% power: 5 at 0.05, 6 at 0.025, none without an "
       "effect or within 5 (%r)" % got)
    rng = random.Random(23)
    cases, ref, flat = [], [], []
    for n in (1, 2, 3, 5, 8, 10, 15, 30, 60):
        for ties in (False, True):
            for _ in range(8):
                pick = (lambda: rng.randint(-4, 6)) if ties else (lambda: rng.random() * 2000 - 600)
                d = [pick() for _ in range(n)]
                line = "wsr %d %s" % (n, " ".join(map(repr, d)))
                nz = [x for x in d if x != 0]
                if not nz:
                    flat.append(line)
                    continue
                tied = len(set(abs(x) for x in nz)) < len(nz)
                exact = not tied and len(nz) <= 50
                r = wilcoxon(nz, zero_method="wilcox", alternative="greater",
                             method="exact" if exact else "approx", correction=True)
                cases.append(line)
                ref.append([r.pvalue, r.statistic])
    compare("Wilcoxon signed-rank, exact and with ties", cases, ask(cases), ref)
    flat.append("wsr 3 0 0 0")
    ok(all(r[0] == 1.0 for r in ask(flat)),
       "Wilcoxon: no nonzero difference gives p = 1 (%d cases)" % len(flat))


fisher_cases()
paired_cases()
sequential_cases()
interval_cases()
holm_cases()
mwu_cases()
power_cases()
print("1..%d" % n_test)
sys.exit(1 if failed else 0)
