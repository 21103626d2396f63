#!/bin/bash
# The independent evaluation set stays valid: eval/holdout/holdout.py check
# reads only the book sources and the question files (tune.jsonl,
# heldout.jsonl, check.jsonl) and checks every line's shape, that expected books, pages
# and key terms exist, the counts and shares issue 12 asks for, and that
# the split is the seeded draw; then the same of the check set (check.jsonl),
# and that it repeats no id or question of tune and held-out and asks about
# the pages of its seeded draw.  Its lines become this test's results and
# its statistics (sizes, spread, the question/page overlap) diagnostics.
# Then the training set's files (train-pages.jsonl, train-scope.jsonl,
# round 27) are checked the same way when present (`check` includes them;
# `check-train` runs them alone), and so are the validation set's
# (valid-pages.jsonl, valid-scope.jsonl; `check-valid`) and the stress set's
# (stress-pages.jsonl, stress-scope.jsonl, round 28; `check-stress`) and the
# fresh set's (fresh-pages.jsonl, fresh-scope.jsonl, round 29; `check-fresh`)
# and the fresh2 set's (fresh2-pages.jsonl, fresh2-scope.jsonl, round 31;
# `check-fresh2`).
# Then a copy of the set is broken in one hundred and four ways, each of which the
# checker must catch, and the check set's two halves are checked.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || bail "python3 is not installed"
checker="$PLC_SRCDIR/eval/holdout/holdout.py"

rc=0
out=$(python3 "$checker" check "$PLC_SRCDIR/eval/holdout" 2>&1) || rc=$?
while IFS= read -r line; do
    case "$line" in
    "ok - "*) pass "${line#ok - }" ;;
    "not ok - "*) fail "${line#not ok - }" ;;
    "#"*) diag "${line#\# }" ;;
    *) diag "$line" ;;
    esac
done <<<"$out"
is "$rc" 0 "the checker exits 0 on the set as committed"

# ---- The checker catches a broken set ----------------------------------------
work=$(mktemp -d /tmp/plccoach-holdout.XXXXXX)
# shellcheck disable=SC2317  # called by the clean-up from tap.sh
cleanup_work() { rm -rf "$work"; }
tap_cleanup cleanup_work
mkdir -p "$work/eval" "$work/content"
cp -r "$PLC_SRCDIR/eval/holdout" "$work/eval/holdout"
cp -r "$PLC_SRCDIR/content/starter" "$work/content/starter"
cp "$work/eval/holdout/tune.jsonl" "$work/tune.orig"
cp "$work/eval/holdout/heldout.jsonl" "$work/heldout.orig"
cp "$work/eval/holdout/check.jsonl" "$work/check.orig"
cp "$work/eval/holdout/train-pages.jsonl" "$work/train-pages.orig"
[ ! -e "$work/eval/holdout/train-scope.jsonl" ] ||
    cp "$work/eval/holdout/train-scope.jsonl" "$work/train-scope.orig"
cp "$work/eval/holdout/valid-pages.jsonl" "$work/valid-pages.orig"
[ ! -e "$work/eval/holdout/valid-scope.jsonl" ] ||
    cp "$work/eval/holdout/valid-scope.jsonl" "$work/valid-scope.orig"
cp "$work/eval/holdout/stress-pages.jsonl" "$work/stress-pages.orig"
[ ! -e "$work/eval/holdout/stress-scope.jsonl" ] ||
    cp "$work/eval/holdout/stress-scope.jsonl" "$work/stress-scope.orig"
cp "$work/eval/holdout/fresh-pages.jsonl" "$work/fresh-pages.orig"
[ ! -e "$work/eval/holdout/fresh-scope.jsonl" ] ||
    cp "$work/eval/holdout/fresh-scope.jsonl" "$work/fresh-scope.orig"
cp "$work/eval/holdout/fresh2-pages.jsonl" "$work/fresh2-pages.orig"
[ ! -e "$work/eval/holdout/fresh2-scope.jsonl" ] ||
    cp "$work/eval/holdout/fresh2-scope.jsonl" "$work/fresh2-scope.orig"

# broken WHAT PYTHON EXPECT: applies PYTHON to the first in_scope line of
# tune.jsonl, q, of check.jsonl, c, of train-pages.jsonl, t, or of
# valid-pages.jsonl, v, of stress-pages.jsonl, s, or of fresh-pages.jsonl,
# fr (or to the files: tune, held, chk, tr, vp, sp, fp; scope, vscope,
# sscope and fscope, the lines of train-scope.jsonl, valid-scope.jsonl,
# stress-scope.jsonl and fresh-scope.jsonl, None when there is none; of
# fresh2-pages.jsonl, g2, its first in-scope line with no context, gr, its
# first standalone line, gs, and first follow-up, gf; g2scope, the lines of
# fresh2-scope.jsonl or None), runs
# the checker, and passes when it fails with a "not ok - EXPECT..." line.
# Nothing of tune or held-out is printed.
broken() {
    local what=$1 code=$2 expect=$3 res=0 got set
    cp "$work/tune.orig" "$work/eval/holdout/tune.jsonl"
    cp "$work/heldout.orig" "$work/eval/holdout/heldout.jsonl"
    cp "$work/check.orig" "$work/eval/holdout/check.jsonl"
    for set in train valid stress fresh fresh2; do
        cp "$work/$set-pages.orig" "$work/eval/holdout/$set-pages.jsonl"
        rm -f "$work/eval/holdout/$set-scope.jsonl"
        [ ! -e "$work/$set-scope.orig" ] ||
            cp "$work/$set-scope.orig" "$work/eval/holdout/$set-scope.jsonl"
    done
    python3 - "$work/eval/holdout" "$code" <<'EOF'
import os
import json, sys
root, code = sys.argv[1], sys.argv[2]
tune = [json.loads(l) for l in open(root + "/tune.jsonl")]
held = [json.loads(l) for l in open(root + "/heldout.jsonl")]
chk = [json.loads(l) for l in open(root + "/check.jsonl")]
q = next(r for r in tune if r["category"] == "in_scope")
c = next(r for r in chk if r["category"] == "in_scope")
tr = [json.loads(l) for l in open(root + "/train-pages.jsonl")]
t = next(r for r in tr if r["category"] == "in_scope")
scope = None
if os.path.exists(root + "/train-scope.jsonl"):
    scope = [json.loads(l) for l in open(root + "/train-scope.jsonl")]
vp = [json.loads(l) for l in open(root + "/valid-pages.jsonl")]
v = next(r for r in vp if r["category"] == "in_scope")
vscope = None
if os.path.exists(root + "/valid-scope.jsonl"):
    vscope = [json.loads(l) for l in open(root + "/valid-scope.jsonl")]
sp = [json.loads(l) for l in open(root + "/stress-pages.jsonl")]
s = next(r for r in sp if r["category"] == "in_scope")
sscope = None
if os.path.exists(root + "/stress-scope.jsonl"):
    sscope = [json.loads(l) for l in open(root + "/stress-scope.jsonl")]
fp = [json.loads(l) for l in open(root + "/fresh-pages.jsonl")]
fr = next(r for r in fp if r["category"] == "in_scope")
fscope = None
if os.path.exists(root + "/fresh-scope.jsonl"):
    fscope = [json.loads(l) for l in open(root + "/fresh-scope.jsonl")]
g2 = [json.loads(l) for l in open(root + "/fresh2-pages.jsonl")]
gr = next(r for r in g2 if r["category"] == "in_scope" and "context" not in r)
gs = next(r for r in g2 if r["category"] == "in_scope" and "context" in r)
gf = next(r for r in g2 if r["category"] == "follow_up")
g2scope = None
if os.path.exists(root + "/fresh2-scope.jsonl"):
    g2scope = [json.loads(l) for l in open(root + "/fresh2-scope.jsonl")]
raw = None
exec(code)
with open(root + "/fresh2-pages.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in g2)
if g2scope is not None:
    with open(root + "/fresh2-scope.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in g2scope)
with open(root + "/fresh-pages.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in fp)
if fscope is not None:
    with open(root + "/fresh-scope.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in fscope)
with open(root + "/stress-pages.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in sp)
if sscope is not None:
    with open(root + "/stress-scope.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in sscope)
with open(root + "/valid-pages.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in vp)
if vscope is not None:
    with open(root + "/valid-scope.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in vscope)
with open(root + "/train-pages.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in tr)
if scope is not None:
    with open(root + "/train-scope.jsonl", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in scope)
with open(root + "/check.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in chk)
with open(root + "/tune.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in tune)
    if raw is not None:
        f.write(raw)
with open(root + "/heldout.jsonl", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in held)
EOF
    got=$(python3 "$checker" check "$work/eval/holdout" 2>&1) || res=$?
    if [ "$res" -eq 1 ] && grep -q "^not ok - $expect" <<<"$got"; then
        pass "a broken set is caught: $what"
    else
        fail "a broken set is caught: $what"
        diag "$(grep '^not ok' <<<"$got" || echo "(the checker passed)")"
    fi
}

broken "a key term that is not on the page" \
    'q["key_terms"][0] = "zebra crossing"' "every key term is on an expected page"
broken "a page label the book does not have" \
    'q["expected"][0]["pages"] = ["99"]' "every expected book title and page label exists"
broken "a line moved from tune to held-out" \
    'held.append(q); tune.remove(q)' "the split is the seeded draw"
broken "an id used twice" \
    'tune.append(dict(q))' "no id repeats"
broken "an acronym in a question not tagged" \
    'q["question"] += " (CFA)"; q["tags"] = [t for t in q["tags"] if t != "acronym"]' \
    "every line is well formed"
broken "a line that is not JSON" \
    'raw = "{not json\n"' "every line is well formed"
broken "check set: a question of tune asked again" \
    'c["question"] = q["question"].upper() + "?"' "check set: no question repeats one of tune or held-out"
broken "check set: a key term that is not on the page" \
    'c["key_terms"][0] = "zebra crossing"' "check set: every key term is on an expected page"
broken "check set: a page label the book does not have" \
    'c["expected"][0]["pages"] = ["99"]' "check set: every expected book title and page label exists"
broken "check set: an id used twice" \
    'chk.append(dict(c))' "check set: no id repeats"
broken "check set: a question moved to a page the draw did not give" \
    'c["expected"][0]["pages"][0] = "1" if c["expected"][0]["pages"][0] != "1" else "2"' \
    "check set: the in-scope and follow-up pages are the seeded draw"
broken "training set: a key term that is not on the page" \
    't["key_terms"][0] = "zebra crossing"' "training set: every key term is on an expected page"
broken "training set: a question moved to a page the draw did not give" \
    't["expected"][0]["pages"][0] = "1" if t["expected"][0]["pages"][0] != "1" else "2"' \
    "training set: the in-scope and follow-up pages are the seeded draw"
broken "training set: block 2's first line on a page its draw did not give" \
    'b = next(r for r in tr if r["id"] == "t0231"); b["expected"][0]["pages"][0] = "1" if b["expected"][0]["pages"][0] != "1" else "2"' \
    "training set: the in-scope and follow-up pages are the seeded draw (seed plccoach-train-2026), block 2"
broken "training set: block 1 a line short, so block 2's draw starts one early" \
    'tr.remove(next(r for r in tr if r["id"] == "t0230"))' \
    "training set: the in-scope and follow-up pages are the seeded draw (seed plccoach-train-2026), block 2"
broken "training set: block 2 without its starter pages" \
    '[r["expected"].__delitem__(slice(1, None)) for r in tr if r["id"] >= "t0231"]' \
    "training set: block 2 .*in-scope lines list a starter page"
broken "training set: block 2 without typos or run-ons" \
    '[r.__setitem__("tags", [g for g in r["tags"] if g not in ("typo", "runon")]) for r in tr if r["id"] >= "t0231"]' \
    "training set: block 2 .*with typos or run-ons"
broken "training set: a question of tune asked again" \
    't["question"] = q["question"].upper() + "?"' \
    "training set: no question repeats one of tune, held-out or the check set"
broken "training set: an id used twice" \
    't["id"] = tr[1]["id"]' "training set: no id repeats"
broken "training set: train-scope.jsonl reusing an id of train-pages.jsonl" \
    'scope = (scope or []) + [{"id": tr[0]["id"], "category": "broad", "question": "help with data?", "domains": [], "route": "clarify"}]' \
    "training set: no id repeats"

broken "validation set: a key term that is not on the page" \
    'v["key_terms"][0] = "zebra crossing"' "validation set: every key term is on an expected page"
broken "validation set: a question moved to a page the draw did not give" \
    'v["expected"][0]["pages"][0] = "1" if v["expected"][0]["pages"][0] != "1" else "2"' \
    "validation set: the in-scope and follow-up pages are the seeded draw"
broken "validation set: the first in-scope line gone, so every later draw is off" \
    'vp.remove(v)' "validation set: the in-scope and follow-up pages are the seeded draw"
broken "validation set: a question of tune asked again" \
    'v["question"] = q["question"].upper() + "?"' \
    "validation set: no question repeats one of tune, held-out, the check set or the training set"
broken "validation set: a question of the training set asked again" \
    'v["question"] = t["question"] + " "' \
    "validation set: no question repeats one of tune, held-out, the check set or the training set"
broken "validation set: a question asked twice within it" \
    'vp[1]["question"] = v["question"]' "validation set: no question is asked twice within it"
broken "validation set: a training line taking an id of the validation set" \
    'tr[0]["id"] = v["id"]' "validation set: no id repeats"
broken "validation set: an id used twice" \
    'v["id"] = vp[1]["id"]' "validation set: no id repeats"
broken "validation set: a question of 46 words" \
    'v["question"] = " ".join(["why"] * 46)' "validation set: valid-pages.jsonl: every question is 3 to 45 words long"
broken "validation set: without its starter pages" \
    '[r["expected"].__delitem__(slice(1, None)) for r in vp]' \
    "validation set: valid-pages.jsonl: .*in-scope lines list a starter page"
broken "validation set: without typos or run-ons" \
    '[r.__setitem__("tags", [g for g in r["tags"] if g not in ("typo", "runon")]) for r in vp]' \
    "validation set: valid-pages.jsonl: in scope: .* with typos or run-ons"
broken "validation set: without acronyms" \
    'vp[:] = [r for r in vp if "acronym" not in r["tags"]]' \
    "validation set: valid-pages.jsonl: in scope: .* use acronyms"
broken "validation set: an out-of-scope line in valid-pages.jsonl" \
    'vp.append({"id": "v0499", "category": "out_of_scope", "area": "weather", "question": "will it snow in denver on friday", "expected": [], "domains": [], "kind": "none", "route": "refuse"})' \
    "validation set: valid-pages.jsonl holds in-scope and follow-up lines only"
broken "validation set: valid-scope.jsonl reusing an id of valid-pages.jsonl" \
    'vscope = (vscope or []) + [{"id": v["id"], "category": "broad", "question": "help with data?", "domains": [], "route": "clarify"}]' \
    "validation set: no id repeats"
broken "validation set: valid-scope.jsonl short of broad lines" \
    'vscope = [r for r in (vscope or []) if r["category"] != "broad"] + [{"id": "v0999", "category": "broad", "question": "any tips on pd stuff", "domains": [], "route": "clarify"}]' \
    "validation set: valid-scope.jsonl: broad: 1 lines"

broken "stress set: a key term that is not on the page" \
    's["key_terms"][0] = "zebra crossing"' "stress set: every key term is on an expected page"
broken "stress set: a question moved to a page the draw did not give" \
    's["expected"][0]["pages"][0] = "1" if s["expected"][0]["pages"][0] != "1" else "2"' \
    "stress set: the in-scope and follow-up pages are the seeded draw (seed plccoach-stress-2026)"
broken "stress set: the first in-scope line gone, so every later draw is off" \
    'sp.remove(s)' "stress set: the in-scope and follow-up pages are the seeded draw"
broken "stress set: a question of tune asked again" \
    's["question"] = q["question"].upper() + "?"' \
    "stress set: no question repeats one of tune, held-out, the check, training or validation sets"
broken "stress set: a question of the validation set asked again" \
    's["question"] = v["question"] + " "' \
    "stress set: no question repeats one of tune, held-out, the check, training or validation sets"
broken "stress set: a question asked twice within it" \
    'sp[1]["question"] = s["question"]' "stress set: no question is asked twice within it"
broken "stress set: an id used twice" \
    's["id"] = sp[1]["id"]' "stress set: no id repeats"
broken "stress set: a question of 91 words" \
    's["question"] = " ".join(["why"] * 91); s["tags"] = [g for g in s["tags"] if g not in ("first_person", "short")]' \
    "stress set: stress-pages.jsonl: every question is 1 to 90 words long"
broken "stress set: a first-person question not tagged first_person" \
    'f = next(r for r in sp if "first_person" in r["tags"]); f["tags"].remove("first_person")' \
    "stress set: stress-pages.jsonl: the first_person tag matches the text"
broken "stress set: a short question tagged long" \
    'f = next(r for r in sp if "short" in r["tags"]); f["tags"].append("long")' \
    "stress set: stress-pages.jsonl: the long tag matches the text"
broken "stress set: a long story not tagged long" \
    'f = next(r for r in sp if "long" in r["tags"]); f["tags"].remove("long")' \
    "stress set: stress-pages.jsonl: the long tag matches the text"
broken "stress set: a question of six words not tagged short" \
    'f = next(r for r in sp if "short" in r["tags"]); f["tags"].remove("short")' \
    "stress set: stress-pages.jsonl: the short tag matches the text"
broken "stress set: under half in the first person" \
    'sp[:] = [r for r in sp if "first_person" not in r["tags"]]' \
    "stress set: stress-pages.jsonl: in scope: 0 % tagged first_person"
broken "stress set: without school words" \
    '[r["tags"].remove("school") for r in sp if "school" in r["tags"]]' \
    "stress set: stress-pages.jsonl: in scope: 0 % tagged school"
broken "stress set: without long stories" \
    'sp[:] = [r for r in sp if "long" not in r["tags"]]' \
    "stress set: stress-pages.jsonl: in scope: 0 % tagged long"
broken "stress set: without very short questions" \
    'sp[:] = [r for r in sp if "short" not in r["tags"]]' \
    "stress set: stress-pages.jsonl: in scope: 0 % tagged short"
broken "stress set: under 30 % typos or run-ons" \
    '[r.__setitem__("tags", [g for g in r["tags"] if g not in ("typo", "runon")]) for r in sp[:150]]' \
    "stress set: stress-pages.jsonl: in scope: .* with typos or run-ons (at least 30 %)"
broken "stress set: an out-of-scope line in stress-pages.jsonl" \
    'sp.append({"id": "s0499", "category": "out_of_scope", "area": "weather", "question": "will it snow in denver on friday", "expected": [], "domains": [], "kind": "none", "route": "refuse"})' \
    "stress set: stress-pages.jsonl holds in-scope and follow-up lines only"
broken "stress set: stress-scope.jsonl reusing an id of stress-pages.jsonl" \
    'sscope = (sscope or []) + [{"id": s["id"], "category": "broad", "question": "help with data?", "domains": [], "route": "clarify"}]' \
    "stress set: no id repeats"
broken "stress set: stress-scope.jsonl short of broad lines" \
    'sscope = [r for r in (sscope or []) if r["category"] != "broad"] + [{"id": "s0999", "category": "broad", "question": "any tips on pd stuff", "domains": [], "route": "clarify"}]' \
    "stress set: stress-scope.jsonl: broad: 1 lines"

broken "fresh set: a key term that is not on the page" \
    'fr["key_terms"][0] = "zebra crossing"' "fresh set: every key term is on an expected page"
broken "fresh set: a question moved to a page the draw did not give" \
    'fr["expected"][0]["pages"][0] = "1" if fr["expected"][0]["pages"][0] != "1" else "2"' \
    "fresh set: the in-scope and follow-up pages are the seeded draw (seed plccoach-fresh-2026)"
broken "fresh set: the first in-scope line gone, so every later draw is off" \
    'fp.remove(fr)' "fresh set: the in-scope and follow-up pages are the seeded draw"
broken "fresh set: a follow-up moved to the page of the draw before it" \
    'u = [r for r in fp if r["category"] == "follow_up"]; u[1]["expected"] = [dict(e) for e in u[0]["expected"]]; u[1]["key_terms"] = list(u[0]["key_terms"])' \
    "fresh set: the in-scope and follow-up pages are the seeded draw"
broken "fresh set: a question of tune asked again" \
    'fr["question"] = q["question"].upper() + "?"' \
    "fresh set: no question repeats one of tune, held-out, the check, training, validation or stress sets"
broken "fresh set: a question of the stress set asked again" \
    'fr["question"] = s["question"] + " "' \
    "fresh set: no question repeats one of tune, held-out, the check, training, validation or stress sets"
broken "fresh set: a question asked twice within it" \
    'fp[1]["question"] = fr["question"]' "fresh set: no question is asked twice within it"
broken "fresh set: an id used twice" \
    'fr["id"] = fp[1]["id"]' "fresh set: no id repeats"
broken "fresh set: a stress line taking an id of the fresh set" \
    'sp[0]["id"] = fr["id"]' "fresh set: no id repeats"
broken "fresh set: a question of 91 words" \
    'fr["question"] = " ".join(["why"] * 91); fr["tags"] = [g for g in fr["tags"] if g not in ("first_person", "short", "how_many")]' \
    "fresh set: fresh-pages.jsonl: every question is 1 to 90 words long"
broken "fresh set: a first-person question tagged plain" \
    'f = next(r for r in fp if "first_person" in r["tags"]); f["tags"].append("plain")' \
    "fresh set: fresh-pages.jsonl: the plain tag matches the text"
broken "fresh set: a plain question tagged typo, still tagged plain" \
    'f = next(r for r in fp if "plain" in r["tags"]); f["tags"].append("typo")' \
    "fresh set: fresh-pages.jsonl: the plain tag matches the text"
broken "fresh set: a how-many question not tagged how_many" \
    'f = next(r for r in fp if "how_many" in r["tags"]); f["tags"].remove("how_many")' \
    "fresh set: fresh-pages.jsonl: the how_many tag matches the text"
broken "fresh set: a first-person question not tagged first_person" \
    'f = next(r for r in fp if "first_person" in r["tags"]); f["tags"].remove("first_person")' \
    "fresh set: fresh-pages.jsonl: the first_person tag matches the text"
broken "fresh set: a long story not tagged long" \
    'f = next(r for r in fp if "long" in r["tags"]); f["tags"].remove("long")' \
    "fresh set: fresh-pages.jsonl: the long tag matches the text"
broken "fresh set: under 10 % how many / how often / how long" \
    'fp[:] = [r for r in fp if "how_many" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged how_many"
broken "fresh set: under 15 % how-do-we process questions" \
    '[r["tags"].remove("how") for r in fp if "how" in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged how"
broken "fresh set: no plain questions" \
    'fp[:] = [r for r in fp if "plain" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged plain"
broken "fresh set: under 30 % in the first person" \
    'fp[:] = [r for r in fp if "first_person" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged first_person"
broken "fresh set: without school words" \
    '[r["tags"].remove("school") for r in fp if "school" in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged school"
broken "fresh set: without long stories" \
    'fp[:] = [r for r in fp if "long" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged long"
broken "fresh set: without very short questions" \
    'fp[:] = [r for r in fp if "short" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: 0 % tagged short"
broken "fresh set: under 25 % acronyms" \
    'fp[:] = [r for r in fp if "acronym" not in r["tags"]]' \
    "fresh set: fresh-pages.jsonl: in scope: .* use acronyms"
broken "fresh set: under 25 % typos or run-ons" \
    '[r.__setitem__("tags", [g for g in r["tags"] if g not in ("typo", "runon")] + (["plain"] if "first_person" not in r["tags"] and "plain" not in r["tags"] else [])) for r in fp]' \
    "fresh set: fresh-pages.jsonl: in scope: .* with typos or run-ons (at least 25 %)"
broken "fresh set: under 40 follow-ups" \
    'fp[:] = fp[:-1]' "fresh set: fresh-pages.jsonl: follow_up: 39 lines"
broken "fresh set: an out-of-scope line in fresh-pages.jsonl" \
    'fp.append({"id": "f0499", "category": "out_of_scope", "area": "weather", "question": "will it hail in tulsa tomorrow", "expected": [], "domains": [], "kind": "none", "route": "refuse"})' \
    "fresh set: fresh-pages.jsonl holds in-scope and follow-up lines only"
broken "fresh set: fresh-scope.jsonl reusing an id of fresh-pages.jsonl" \
    'fscope = (fscope or []) + [{"id": fr["id"], "category": "broad", "question": "help with our team stuff?", "domains": [], "route": "clarify"}]' \
    "fresh set: no id repeats"
broken "fresh set: a fresh-scope.jsonl line with an id of the pages range" \
    'fscope = (fscope or []) + [{"id": "f0498", "category": "broad", "question": "help with our team stuff?", "domains": [], "route": "clarify"}]' \
    "fresh set: fresh-scope.jsonl: every line is well formed"
broken "fresh set: fresh-scope.jsonl short of broad lines" \
    'fscope = [r for r in (fscope or []) if r["category"] != "broad"] + [{"id": "f0999", "category": "broad", "question": "any tips on plc stuff in general", "domains": [], "route": "clarify"}]' \
    "fresh set: fresh-scope.jsonl: broad: 1 lines"
broken "fresh set: fresh-scope.jsonl with no out-of-scope line borrowing school words" \
    'fscope = [dict(r, tags=[g for g in r.get("tags", []) if g != "borrows_words"]) for r in (fscope or [])] + [{"id": "f0998", "category": "out_of_scope", "area": "weather", "question": "will it hail in tulsa tomorrow", "expected": [], "domains": [], "kind": "none", "route": "refuse", "tags": []}]' \
    "fresh set: fresh-scope.jsonl: out_of_scope: 0 % tagged borrows_words"
broken "fresh2 set: a page label the book does not have" \
    'gr["expected"][0]["pages"] = ["99"]' "fresh2 set: every expected book title and page label exists"
broken "fresh2 set: a key term that is not on the page" \
    'gf["key_terms"][0] = "zebra crossing"' "fresh2 set: every key term is on an expected page"
broken "fresh2 set: a question of the fresh set asked again" \
    'gr["question"] = fr["question"]' \
    "fresh2 set: no question repeats one of tune, held-out, the check, training, validation, stress or fresh sets"
broken "fresh2 set: a standalone question whose last turn repeats a fresh-set question" \
    'gs["question"] = fr["question"]' \
    "fresh2 set: no question repeats one of tune, held-out, the check, training, validation, stress or fresh sets"
broken "fresh2 set: a question asked twice within it" \
    'g2[1]["question"] = gr["question"]' "fresh2 set: no question is asked twice within it"
broken "fresh2 set: an id used twice" \
    'gs["id"] = gr["id"]' "fresh2 set: no id repeats"
broken "fresh2 set: a standalone line without a context" \
    'del gs["context"]' "fresh2 set: fresh2-pages.jsonl: every line is well formed"
broken "fresh2 set: an in-scope line with a context but not tagged standalone_after" \
    'gr["context"] = ["how do we write norms"]' "fresh2 set: fresh2-pages.jsonl: every line is well formed"
broken "fresh2 set: a follow-up tagged standalone_after" \
    'gf["tags"].append("standalone_after")' "fresh2 set: fresh2-pages.jsonl: every line is well formed"
broken "fresh2 set: a context of three earlier turns" \
    'gf["context"] = ["what are norms", "how many should we have", "who checks them"]' \
    "fresh2 set: fresh2-pages.jsonl: every context holds 1 to 2 earlier turns"
broken "fresh2 set: a standalone question that opens as a follow-up" \
    'gs["question"] = "and what about the kids who already know this material"' \
    "fresh2 set: fresh2-pages.jsonl: every standalone question is a whole question"
broken "fresh2 set: a standalone question of five words" \
    'gs["question"] = "team health survey for October"' \
    "fresh2 set: fresh2-pages.jsonl: every standalone question is a whole question"
broken "fresh2 set: a standalone question holding a pointer word, untagged" \
    'x = next(r for r in g2 if "pointer_words" in r["tags"]); x["tags"].remove("pointer_words")' \
    "fresh2 set: fresh2-pages.jsonl: the pointer_words tag is on exactly"
broken "fresh2 set: a standalone question moved to the page of a question with no context" \
    'gs["expected"] = gr["expected"]' \
    "fresh2 set: the in-scope and follow-up pages are the seeded draw (seed plccoach-fresh2-2026)"
broken "fresh2 set: under 40 standalone questions" \
    'g2[:] = [r for r in g2 if r is not gs]' \
    "fresh2 set: fresh2-pages.jsonl: 39 standalone questions"
broken "fresh2 set: no standalone question announcing the new subject" \
    '[r.update(question="Who knows: " + r["question"]) for r in g2 if "context" in r and r["category"] == "in_scope"]' \
    "fresh2 set: fresh2-pages.jsonl: standalone: 0 % announcing the new subject"
broken "fresh2 set: an out-of-scope line in fresh2-pages.jsonl" \
    'g2.append({"id": "g0498", "category": "out_of_scope", "area": "weather", "question": "will it snow in boise on friday", "expected": [], "domains": [], "kind": "none", "route": "refuse", "tags": []})' \
    "fresh2 set: fresh2-pages.jsonl holds in-scope and follow-up lines only"
broken "fresh2 set: a fresh2-scope.jsonl line with an id of the pages range" \
    'g2scope = (g2scope or []) + [{"id": "g0498", "category": "out_of_scope", "area": "weather", "question": "will it snow in boise on friday", "expected": [], "domains": [], "kind": "none", "route": "refuse", "tags": []}]' \
    "fresh2 set: fresh2-scope.jsonl: every line is well formed"
broken "fresh2 set: fresh2-scope.jsonl short of broad lines" \
    'g2scope = [r for r in (g2scope or []) if r["category"] != "broad"] + [{"id": "g0999", "category": "broad", "question": "any tips on plc stuff in general", "domains": [], "route": "clarify"}]' \
    "fresh2 set: fresh2-scope.jsonl: broad: 1 lines"

# check-SET: a set's files alone (either may be missing); it passes on the
# set as committed and on its pages file alone (or its HALF, scope, for a set
# with no pages file), and fails when there is neither file.
alone() {
    local set=$1 what=$2 half=${3:-pages} other=pages rc=0
    [ "$half" = scope ] || other=scope
    python3 "$checker" "check-$set" "$PLC_SRCDIR/eval/holdout" >/dev/null 2>&1 || rc=$?
    is "$rc" 0 "check-$set passes on the $what as committed"
    cp "$work/$set-$half.orig" "$work/eval/holdout/$set-$half.jsonl"
    rm -f "$work/eval/holdout/$set-$other.jsonl"
    rc=0
    python3 "$checker" "check-$set" "$work/eval/holdout" >/dev/null 2>&1 || rc=$?
    is "$rc" 0 "check-$set passes on $set-$half.jsonl alone"
    rm -f "$work/eval/holdout/$set-$half.jsonl"
    rc=0
    python3 "$checker" "check-$set" "$work/eval/holdout" >/dev/null 2>&1 || rc=$?
    is "$rc" 1 "check-$set fails when there is no $what file"
}
cp "$work/eval/holdout/fresh9-pages.jsonl" "$work/fresh9-pages.orig"
cp "$work/eval/holdout/fresh9-scope.jsonl" "$work/fresh9-scope.orig" && alone fresh9 "fresh9 set" scope
alone fresh9 "fresh9 set (answerable half)"
cp "$work/eval/holdout/fresh8-pages.jsonl" "$work/fresh8-pages.orig"
cp "$work/eval/holdout/fresh8-scope.jsonl" "$work/fresh8-scope.orig" && alone fresh8 "fresh8 set" scope
alone fresh8 "fresh8 set (answerable half)"
cp "$work/eval/holdout/fresh7-pages.jsonl" "$work/fresh7-pages.orig"
cp "$work/eval/holdout/fresh7-scope.jsonl" "$work/fresh7-scope.orig" && alone fresh7 "fresh7 set" scope
alone fresh7 "fresh7 set (answerable half)"
cp "$work/eval/holdout/fresh6-pages.jsonl" "$work/fresh6-pages.orig" && alone fresh6 "fresh6 set"
cp "$work/eval/holdout/fresh5-pages.jsonl" "$work/fresh5-pages.orig" && alone fresh5 "fresh5 set"
cp "$work/eval/holdout/fresh4-pages.jsonl" "$work/fresh4-pages.orig" && alone fresh4 "fresh4 set"
cp "$work/eval/holdout/fresh3-pages.jsonl" "$work/fresh3-pages.orig" && alone fresh3 "fresh3 set"
alone fresh2 "fresh2 set"
alone fresh "fresh set"
alone stress "stress set"
alone valid "validation set"

# check-train: the training files alone; it fails when there are none.
rc=0
python3 "$checker" check-train "$PLC_SRCDIR/eval/holdout" >/dev/null 2>&1 || rc=$?
is "$rc" 0 "check-train passes on the training set as committed"
cp "$work/train-pages.orig" "$work/eval/holdout/train-pages.jsonl"
rm -f "$work/eval/holdout/train-scope.jsonl"
mv "$work/eval/holdout/train-pages.jsonl" "$work/train-pages.away"
rc=0
python3 "$checker" check-train "$work/eval/holdout" >/dev/null 2>&1 || rc=$?
is "$rc" 1 "check-train fails when there is no training file"

# ---- The check set's two halves (eval/holdout/README.md) -------------------
half() { python3 "$checker" check-half "$PLC_SRCDIR/eval/holdout/check.jsonl" "$1"; }
half tune >"$work/half-tune"
half gate >"$work/half-gate"
is "$(cat "$work/half-tune" "$work/half-gate" | sort | cmp - <(grep -v '^$' \
    "$PLC_SRCDIR/eval/holdout/check.jsonl" | sort) && echo same)" same \
    "the check set's halves hold every line once"
is "$(comm -12 <(sort "$work/half-tune") <(sort "$work/half-gate") | wc -l)" 0 \
    "no line is in both halves"
# cats FILE: the categories' counts of a half, "category count" sorted.
cats() { python3 -c '
import collections, json, sys
c = collections.Counter(json.loads(l)["category"] for l in open(sys.argv[1]))
print(" ".join("%s %d" % kv for kv in sorted(c.items())))' "$1"; }
all=$(cats "$PLC_SRCDIR/eval/holdout/check.jsonl")
want=$(python3 -c 'import sys; w = sys.argv[1].split()
print(" ".join("%s %d" % (w[i], int(w[i + 1]) // 2) for i in range(0, len(w), 2)))' "$all")
is "$(cats "$work/half-tune")" "$want" "the tune half takes half of each category (rounded down)"
is "$(half tune | sha256sum)" "$(sha256sum <"$work/half-tune")" "the draw is the same every time"
rc=0
python3 "$checker" check-half "$PLC_SRCDIR/eval/holdout/heldout.jsonl" tune >/dev/null 2>&1 || rc=$?
is "$rc" 2 "check-half refuses any file but check.jsonl"

done_testing
