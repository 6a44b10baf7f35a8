#!/usr/bin/python3
"""Checks documents against one of the hub's published JSON Schemas (draft 2020-12).

    check_schemas.py SCHEMA [--valid PATH ...] [--invalid PATH ...]

A PATH is a JSON file or a folder, which stands for the *.json files in it (a folder with none is
an error: a check of nothing passes nothing). Every document is judged; each one whose verdict
differs from the expected one is reported with its file and, for an unexpected error, the JSON
pointer in the document and the schema path of the first error. Exit status 0 when every verdict
is as expected, 1 when one differs, 2 when the check cannot run (bad arguments, unreadable or
malformed JSON, a schema that is not a valid schema, jsonschema missing).

Run with Debian's /usr/bin/python3 and python3-jsonschema (deploy/install-deps.sh installs it).
"""

import argparse
import json
import pathlib
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.exit("check_schemas: the Python module jsonschema is missing for " + sys.executable +
             ": install python3-jsonschema (deploy/install-deps.sh)")


def pointer(parts):
    """RFC 6901 JSON pointer of a path of keys and indexes ("" is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def documents(paths):
    files = []
    for path in map(pathlib.Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise ValueError(f"{path}: no *.json files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"{path}: no such file or folder")
    return files


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not readable as JSON: {e}") from e


def first_error(validator, document):
    """The error that best explains why `document` is invalid, or None when it is valid."""
    return jsonschema.exceptions.best_match(validator.iter_errors(document))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema")
    parser.add_argument("--valid", nargs="*", default=[], metavar="PATH", help="documents the schema must accept")
    parser.add_argument("--invalid", nargs="*", default=[], metavar="PATH", help="documents the schema must refuse")
    args = parser.parse_args()
    try:
        schema = load(args.schema)
        Draft202012Validator.check_schema(schema)
        expected = [(f, True) for f in documents(args.valid)] + [(f, False) for f in documents(args.invalid)]
        if not expected:
            raise ValueError("no documents given: use --valid and/or --invalid")
        judged = [(f, should_pass, load(f)) for f, should_pass in expected]
    except jsonschema.exceptions.SchemaError as e:
        print(f"check_schemas: {args.schema}: not a valid JSON Schema at #/{'/'.join(map(str, e.schema_path))}: "
              f"{e.message}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"check_schemas: {e}", file=sys.stderr)
        return 2

    validator = Draft202012Validator(schema)
    wrong = []
    for path, should_pass, document in judged:
        error = first_error(validator, document)
        if should_pass and error is not None:
            wrong.append(f"{path}: expected valid against {args.schema}, but at '{pointer(error.absolute_path)}': "
                         f"{error.message} (schema path #/{'/'.join(map(str, error.absolute_schema_path))})")
        elif not should_pass and error is None:
            wrong.append(f"{path}: expected invalid against {args.schema}, but the schema accepts it")
    for line in wrong:
        print("FAIL " + line, file=sys.stderr)
    valid = sum(1 for _, p, _ in judged if p)
    print(f"check_schemas: {args.schema}: {len(judged) - len(wrong)} of {len(judged)} documents judged as expected "
          f"({valid} expected valid, {len(judged) - valid} expected invalid)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
