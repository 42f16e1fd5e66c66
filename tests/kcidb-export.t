#!/usr/bin/python3
# allocrepro export --kcidb against KCIDB's I/O schema 5.3 (kcidb-io,
# kcidb_io/schema/v05_03.py and the versions it builds on): the subset
# written out below, checked with python3-jsonschema.  Real runs from
# tests/fixtures/runs/, one and merged; and bad input.
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema

ALLOCREPRO = os.environ.get("ALLOCREPRO", "build/asan/allocrepro")
TESTS = os.environ.get("TESTS", "tests")
F = os.path.join(TESTS, "fixtures", "runs")
n_test = 0
failed = 0

ORIGIN = "^[a-z0-9_]+$"
ORIGIN_ID = "^[a-z0-9_]+:.*$"
STATUS = {"enum": ["FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"]}
TIME = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$"}
NOT_EMPTY_NO_NUL = {"type": "string", "pattern": "^[^\\x00]*$"}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "version": {
            "type": "object",
            "properties": {"major": {"const": 5}, "minor": {"const": 3}},
            "required": ["major", "minor"],
            "additionalProperties": False,
        },
        "checkouts": {"type": "array", "items": {"$ref": "#/$defs/checkout"}},
        "builds": {"type": "array", "items": {"$ref": "#/$defs/build"}},
        "tests": {"type": "array", "items": {"$ref": "#/$defs/test"}},
    },
    "required": ["version"],
    "additionalProperties": False,
    "$defs": {
        "checkout": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": ORIGIN_ID},
                "origin": {"type": "string", "pattern": ORIGIN},
                "tree_name": NOT_EMPTY_NO_NUL, "comment": NOT_EMPTY_NO_NUL,
                "git_commit_hash": {"type": "string"}, "patchset_hash": {"type": "string"},
                "start_time": TIME, "valid": {"type": "boolean"}, "misc": {"type": "object"},
            },
            "required": ["id", "origin"],
            "additionalProperties": False,
        },
        "build": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": ORIGIN_ID},
                "checkout_id": {"type": "string", "pattern": ORIGIN_ID},
                "origin": {"type": "string", "pattern": ORIGIN},
                "comment": NOT_EMPTY_NO_NUL, "start_time": TIME, "duration": {"type": "number"},
                "architecture": {"type": "string", "pattern": "^[a-z0-9_]*$"},
                "config_name": NOT_EMPTY_NO_NUL, "status": STATUS, "misc": {"type": "object"},
            },
            "required": ["checkout_id", "id", "origin"],
            "additionalProperties": False,
        },
        "test": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": ORIGIN_ID},
                "build_id": {"type": "string", "pattern": ORIGIN_ID},
                "origin": {"type": "string", "pattern": ORIGIN},
                "path": {"type": "string", "pattern": "^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$"},
                "status": STATUS,
                "number": {
                    "type": "object",
                    "properties": {"value": {"type": "number"},
                                   "unit": NOT_EMPTY_NO_NUL,
                                   "prefix": {"enum": ["metric", "binary"]}},
                    "required": ["value"],
                    "additionalProperties": False,
                },
                "environment": {
                    "type": "object",
                    "properties": {"comment": NOT_EMPTY_NO_NUL, "misc": {"type": "object"}},
                    "additionalProperties": False,
                },
                "comment": NOT_EMPTY_NO_NUL, "start_time": TIME, "duration": {"type": "number"},
                "misc": {"type": "object"},
            },
            "required": ["build_id", "id", "origin"],
            "additionalProperties": False,
        },
    },
}


def ok(cond, name):
    global n_test, failed
    n_test += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_test, name))
    failed += 0 if cond else 1


def nulls(o):
    if o is None:
        return True
    if isinstance(o, dict):
        return any(nulls(v) for v in o.values())
    if isinstance(o, list):
        return any(nulls(v) for v in o)
    return False


def export(*args):
    r = subprocess.run([ALLOCREPRO, "export"] + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


validator = jsonschema.Draft202012Validator(SCHEMA)
tmp = tempfile.mkdtemp(prefix="allocrepro-kcidb.")
try:
    rc, out, err = export("--kcidb", os.path.join(F, "seed002-6.1"), "--origin", "my_lab")
    ok(rc == 0, "export --kcidb of a statistical run: exit 0 (%d %s)" % (rc, err.strip()))
    doc = json.loads(out)
    errors = sorted(validator.iter_errors(doc), key=str)
    ok(not errors, "valid KCIDB 5.3 (%s)" % (errors[0].message[:150] if errors else "no error"))
    ok(not nulls(doc), "no null anywhere (the schema allows none)")
    ok(len(doc["checkouts"]) == 1 and len(doc["builds"]) == 1 and
       doc["builds"][0]["config_name"] == "debian-6.1" and doc["builds"][0]["architecture"] == "x86_64",
       "one checkout and one build: the kernel it ran")
    paths = {t["path"]: t for t in doc["tests"]}
    v = paths.get("allocrepro.seed002-atomic-order3-movable.mitigation.movablecore-10pct.suppresses")
    ok(v is not None and v["status"] == "PASS" and v["number"]["value"] == 1.0 and
       v["misc"]["measure"]["baseline_failed"] == 3 and "difference_ci95" in v["misc"]["measure"],
       "a verdict is a test: path allocrepro.<verdict>, status, its measure")
    run = paths.get("allocrepro.seed002-atomic-order3-movable")
    ok(run is not None and run["status"] == "PASS" and run["misc"]["outcome"] == "completed",
       "and the run is a test of its own with its outcome")
    ok(all(t["id"].startswith("my_lab:") and t["origin"] == "my_lab" for t in doc["tests"]),
       "ids and origins from --origin")
    ok(all("movable" in t["environment"]["comment"] and
           t["environment"]["misc"]["lab"]["topology"] == "movable" and
           [a["name"] for a in t["environment"]["misc"]["settings"]["arms"]] ==
           ["baseline", "movablecore-10pct"] for t in doc["tests"]),
       "topology and arms in environment.misc")

    broken = json.loads(json.dumps(doc))
    broken["builds"][0]["valid"] = True
    broken["tests"][0]["path"] = "allocrepro..x"
    broken["tests"][1]["number"] = {"unit": "s"}
    ok(len(list(validator.iter_errors(broken))) == 3,
       "the schema subset rejects what 5.3 does: a build's 'valid', an empty path part, "
       "a number without value")

    merged = os.path.join(tmp, "m")
    subprocess.run([ALLOCREPRO, "merge", os.path.join(F, "seed002-6.1"), os.path.join(F, "seed002-6.12"),
                    os.path.join(F, "smoke-6.1"), "-o", merged], capture_output=True, check=True)
    out_file = os.path.join(tmp, "k.json")
    rc, out, err = export("--kcidb", merged, "-o", out_file)
    doc = json.load(open(out_file)) if rc == 0 else {}
    ok(rc == 0 and not list(validator.iter_errors(doc)), "a merged directory: valid KCIDB 5.3 in -o FILE")
    ok(sorted(c["id"] for c in doc.get("checkouts", [])) ==
       ["allocrepro:checkout-6.1.0-57-amd64", "allocrepro:checkout-6.12.118+deb12-amd64"] and
       len(doc.get("builds", [])) == 2, "one checkout and build per kernel, shared by its runs")
    ok(len({t["id"] for t in doc.get("tests", [])}) == len(doc.get("tests", [])) == 12,
       "every test of every run, each id once (12)")

    bad_dir = os.path.join(tmp, "none")
    for args, want, name in (
            (["--kcidb", F + "/seed002-6.1", "--origin", "My-Lab"], "origin is \\[a-z0-9_\\]", "a bad origin"),
            ([F + "/seed002-6.1"], "give --kcidb", "no format"),
            (["--kcidb", bad_dir, "-o", os.path.join(tmp, "x.json")], "No such file", "no such run")):
        rc, out, err = export(*args)
        ok(rc == 2 and re.search(want, err) and not os.path.exists(os.path.join(tmp, "x.json")),
           "%s: exit 2, says so, writes nothing (%d: %s)" % (name, rc, err.strip()[:100]))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("1..%d" % n_test)
sys.exit(1 if failed else 0)
