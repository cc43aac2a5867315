#!/usr/bin/env python3
"""Builds the service catalogue (catalogue/*.json) from the AWS API models that botocore ships.

For every service that Step Functions' AWS SDK integrations reach (the list in
scripts/catalogue/sfn-sdk-services.txt, transcribed from the Step Functions Developer Guide), this
writes one compact file: per operation its input and output shapes, its error shapes and its IAM
action, with the documentation stripped and the shapes deduplicated. See catalogue/README.md for
the format, and src/catalogue/ for the reader.

    python3 -m venv /tmp/boto && /tmp/boto/bin/pip install botocore==1.43.11
    /tmp/boto/bin/python scripts/gen-catalogue.py            # imports botocore to find its data
    python3 scripts/gen-catalogue.py --data DIR [--out catalogue]   # or a botocore data dir

The output is deterministic: the same botocore version gives byte-identical files.
"""

import argparse
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT_VERSION = 1

# Step Functions' name -> botocore's directory, where botocore's serviceId does not name it alone
# (see botocore_dirs below for the rule).
BOTOCORE_DIR = {
    "pinpointsmsvoice": "pinpoint-sms-voice",
}

# (botocore directory, shape) -> why: structures that hold exactly one member, as botocore's
# `union` flag says of others, though botocore does not flag them. DynamoDB refuses an
# AttributeValue with none or several of its members set ("Supplied AttributeValue is empty" /
# "has more than one datatypes set, must contain exactly one of the supported datatypes"), and
# the Developer Guide's "Data types" describes one type per value; DynamoDB Streams' records
# carry the same AttributeValue.
ONE_MEMBER = {
    ("dynamodb", "AttributeValue"): "DynamoDB: exactly one of the supported datatypes",
    ("dynamodbstreams", "AttributeValue"): "DynamoDB Streams: the same AttributeValue",
}

# botocore directory -> IAM service prefix, where it is not the model's signingName (or, without
# one, its endpointPrefix). From the Service Authorization Reference ("Actions, resources, and
# condition keys for AWS services").
IAM_PREFIX = {
    "cloudwatch": "cloudwatch",  # endpointPrefix "monitoring"
    "mturk": "mechanicalturk",  # signingName "mturk-requester"
    "iotsecuretunneling": "iot",  # signingName "IoTSecuredTunneling"
    "iotevents-data": "iotevents",
    "cloudcontrol": "cloudformation",  # Cloud Control API's actions are cloudformation:*Resource*
    "resourcegroupstaggingapi": "tag",  # signingName "tagging"
    "sso-oidc": "sso-oauth",
}

# IAM actions that are not the operation's name (per service, by operation). A list when the call
# needs several. API Gateway's management APIs are authorized by HTTP method (handled below).
IAM_ACTION = {
    "s3": {
        "ListObjects": "ListBucket",
        "ListObjectsV2": "ListBucket",
        "HeadBucket": "ListBucket",
        "HeadObject": "GetObject",
        "ListObjectVersions": "ListBucketVersions",
        "ListBuckets": "ListAllMyBuckets",
        "DeleteObjects": "DeleteObject",
        "CreateMultipartUpload": "PutObject",
        "UploadPart": "PutObject",
        "UploadPartCopy": ["GetObject", "PutObject"],
        "CompleteMultipartUpload": "PutObject",
        "ListMultipartUploads": "ListBucketMultipartUploads",
        "ListParts": "ListMultipartUploadParts",
        "CopyObject": ["GetObject", "PutObject"],
        "GetObjectAttributes": ["GetObject", "GetObjectAttributes"],
        "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
        "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
        "DeleteBucketLifecycle": "PutLifecycleConfiguration",
        "GetBucketNotificationConfiguration": "GetBucketNotification",
        "PutBucketNotificationConfiguration": "PutBucketNotification",
        "GetBucketEncryption": "GetEncryptionConfiguration",
        "PutBucketEncryption": "PutEncryptionConfiguration",
        "DeleteBucketEncryption": "PutEncryptionConfiguration",
        "GetBucketReplication": "GetReplicationConfiguration",
        "PutBucketReplication": "PutReplicationConfiguration",
        "DeleteBucketReplication": "PutReplicationConfiguration",
        "DeleteBucketCors": "PutBucketCORS",
        "GetBucketCors": "GetBucketCORS",
        "PutBucketCors": "PutBucketCORS",
        "DeleteBucketTagging": "PutBucketTagging",
        "DeleteBucketWebsite": "DeleteBucketWebsite",
        "GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
        "PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
        "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
        "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
        "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
        "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
        "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
        "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
        "SelectObjectContent": "GetObject",
        "ListDirectoryBuckets": "ListAllMyDirectoryBuckets",
    },
    "lambda": {"Invoke": "InvokeFunction"},
    "dynamodb": {
        "TransactGetItems": "GetItem",
        "TransactWriteItems": ["PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"],
        "ExecuteStatement": ["PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete"],
        "BatchExecuteStatement": ["PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete"],
        "ExecuteTransaction": ["PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete"],
    },
}
IAM_BY_HTTP_METHOD = {"apigateway", "apigatewayv2"}

TYPES = {
    "string": "s",
    "integer": "i",
    "long": "l",
    "float": "f",
    "double": "f",
    "boolean": "b",
    "timestamp": "t",
    "blob": "B",
    "structure": "S",
    "list": "L",
    "map": "M",
}


def read_sfn_services(path):
    """(name, exception prefix, unsupported operations) from the transcribed list."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            unsupported = parts[2].split(",") if len(parts) > 2 else []
            rows.append((parts[0], parts[1], sorted(set(unsupported))))
    return rows


def latest_model(data_dir, service_dir):
    path = os.path.join(data_dir, service_dir)
    versions = sorted(
        v
        for v in os.listdir(path)
        if os.path.exists(os.path.join(path, v, "service-2.json.gz"))
        or os.path.exists(os.path.join(path, v, "service-2.json"))
    )
    if not versions:
        return None
    base = os.path.join(path, versions[-1], "service-2.json")
    if os.path.exists(base + ".gz"):
        with gzip.open(base + ".gz") as f:
            return json.load(f)
    with open(base) as f:
        return json.load(f)


def squash(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def botocore_dirs(data_dir):
    """Step Functions' service name -> botocore directory. Step Functions names a service by its
    SDK client, which is botocore's serviceId lowercased without spaces or dashes, sometimes
    without a trailing "Service" ("Database Migration Service" -> databasemigration)."""
    exact, loose = {}, {}
    for d in sorted(os.listdir(data_dir)):
        if not os.path.isdir(os.path.join(data_dir, d)):
            continue
        model = latest_model(data_dir, d)
        if model is None:
            continue
        key = squash(model["metadata"]["serviceId"])
        exact.setdefault(key, d)
        loose.setdefault(re.sub(r"service$", "", key), d)
        loose.setdefault(d.replace("-", ""), d)
    return lambda name: BOTOCORE_DIR.get(name) or exact.get(name) or loose.get(name)


def member_name(name):
    """Step Functions spells parameters in PascalCase, and `equals` as `EqualsValue`."""
    pascal = name[:1].upper() + name[1:]
    return "EqualsValue" if pascal == "Equals" else pascal


class Compactor:
    """The shapes an operation reaches, as a list of compact shapes referred to by index;
    identical compact shapes share one index (recursive ones keep their own)."""

    def __init__(self, shapes, one_member=()):
        self.shapes = shapes
        # The shapes of ONE_MEMBER in this model: written as unions.
        self.one_member = set(one_member)
        self.out = []
        self.memo = {}
        self.seen = {}
        self.on_stack = set()
        self.reserved = {}

    def ref(self, name):
        if name in self.memo:
            return self.memo[name]
        if name in self.on_stack:
            index = len(self.out)
            self.out.append(None)
            self.memo[name] = index
            self.reserved[name] = index
            return index
        self.on_stack.add(name)
        compact = self.compact(self.shapes[name])
        if name in self.one_member and compact["t"] == "S":
            compact["u"] = 1
        self.on_stack.discard(name)
        if name in self.reserved:
            index = self.reserved[name]
            self.out[index] = compact
            return index
        key = json.dumps(compact, sort_keys=True, separators=(",", ":"))
        if key not in self.seen:
            self.seen[key] = len(self.out)
            self.out.append(compact)
        self.memo[name] = self.seen[key]
        return self.memo[name]

    def compact(self, shape):
        kind = TYPES[shape["type"]]
        c = {"t": kind}
        if kind == "S":
            if shape.get("document"):
                c["d"] = 1
            members = {}
            for m, ref in shape.get("members", {}).items():
                members[member_name(m)] = self.ref(ref["shape"])
            c["m"] = members
            # A member with the idempotencyToken trait is filled by the SDK when the caller
            # leaves it out (Step Functions calls through the AWS SDK for Java), so a request
            # without it is complete: EMR Serverless' StartJobRun without its ClientToken.
            members_of = shape.get("members", {})
            required = [member_name(r) for r in shape.get("required", []) if r in members_of and not members_of[r].get("idempotencyToken")]
            if required:
                c["r"] = required
            if shape.get("union"):
                c["u"] = 1
        elif kind == "L":
            c["m"] = self.ref(shape["member"]["shape"])
        elif kind == "M":
            c["k"] = self.ref(shape["key"]["shape"])
            c["v"] = self.ref(shape["value"]["shape"])
        if kind == "s" and "enum" in shape:
            c["e"] = list(shape["enum"])
        for src, dst in (("min", "mn"), ("max", "mx")):
            if src in shape and kind in ("s", "i", "l", "f", "L", "M", "B"):
                value = shape[src]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                c[dst] = value
        return c


# S3's bucket configuration families: Get/List*Configurations read with Get<X>Configuration,
# Put/Delete write with Put<X>Configuration.
S3_CONFIGURATIONS = ("Analytics", "Inventory", "Metrics", "IntelligentTiering")


def iam_action(botocore_dir, op_name, op):
    if botocore_dir in IAM_BY_HTTP_METHOD:
        return op.get("http", {}).get("method", "GET")
    if botocore_dir == "s3":
        for family in S3_CONFIGURATIONS:
            for verb, access in (("Get", "Get"), ("List", "Get"), ("Put", "Put"), ("Delete", "Put")):
                plural = "s" if verb == "List" else ""
                if op_name == f"{verb}Bucket{family}Configuration{plural}":
                    return f"{access}{family}Configuration"
    return IAM_ACTION.get(botocore_dir, {}).get(op_name, op_name)


def build(sfn_name, prefix, unsupported, botocore_dir, model, botocore_version):
    meta = model["metadata"]
    iam = IAM_PREFIX.get(botocore_dir) or meta.get("signingName") or meta["endpointPrefix"]
    compactor = Compactor(model["shapes"], [shape for (directory, shape) in ONE_MEMBER if directory == botocore_dir])
    error_names = sorted({e["shape"] for op in model["operations"].values() for e in op.get("errors", [])})
    error_index = {name: i for i, name in enumerate(error_names)}
    ops = {}
    for op_name in sorted(model["operations"]):
        op = model["operations"][op_name]
        entry = {}
        if "input" in op:
            entry["i"] = compactor.ref(op["input"]["shape"])
        if "output" in op:
            entry["o"] = compactor.ref(op["output"]["shape"])
        errors = sorted({error_index[e["shape"]] for e in op.get("errors", [])})
        if errors:
            entry["e"] = errors
        action = iam_action(botocore_dir, op_name, op)
        if action != op_name:
            entry["a"] = action
        if op.get("deprecated"):
            entry["x"] = 1
        ops[op_name] = entry
    doc = {
        "v": FORMAT_VERSION,
        "service": sfn_name,
        "prefix": prefix,
        "iam": iam,
        "botocore": botocore_dir,
        "api": meta["apiVersion"],
        "protocol": meta["protocol"],
        "source": "botocore " + botocore_version,
    }
    if unsupported:
        doc["unsupported"] = unsupported
    doc["errors"] = error_names
    doc["ops"] = ops
    doc["shapes"] = compactor.out
    return doc


def write_embedded(path, out_dir, names):
    """The native build's table of the files, sorted by name (the reader searches it)."""
    relative = os.path.relpath(os.path.abspath(out_dir), os.path.dirname(os.path.abspath(path)))
    lines = [
        "//! The catalogue's files, embedded in native builds only (the page fetches them).",
        "//! Generated by scripts/gen-catalogue.py: do not edit.",
        "",
        "pub(super) static FILES: &[(&str, &str)] = &[",
    ]
    for name in sorted(names):
        lines.append(f'    ("{name}", include_str!("{relative}/{name}.json")),')
    lines.append("];")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="botocore's data directory (default: the imported botocore's)")
    parser.add_argument("--version", help="botocore's version, when --data is given")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "catalogue"))
    parser.add_argument(
        "--rust",
        default=os.path.join(HERE, "..", "src", "catalogue", "embedded.rs"),
        help="where to write the native build's table of embedded files",
    )
    args = parser.parse_args()
    if args.data:
        data_dir, version = args.data, args.version or "unknown"
    else:
        import botocore

        data_dir = os.path.join(os.path.dirname(botocore.__file__), "data")
        version = botocore.__version__
    rows = read_sfn_services(os.path.join(HERE, "catalogue", "sfn-sdk-services.txt"))
    find = botocore_dirs(data_dir)
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".json"):
            os.remove(os.path.join(args.out, old))
    index, missing = [], []
    for sfn_name, prefix, unsupported in rows:
        botocore_dir = find(sfn_name)
        model = latest_model(data_dir, botocore_dir) if botocore_dir else None
        if model is None:
            missing.append(sfn_name)
            continue
        doc = build(sfn_name, prefix, unsupported, botocore_dir, model, version)
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
        with open(os.path.join(args.out, sfn_name + ".json"), "w") as f:
            f.write(text)
        index.append([sfn_name, prefix, doc["iam"], len(doc["ops"]), len(text.encode())])
    index.sort()
    summary = {"v": FORMAT_VERSION, "source": "botocore " + version, "missing": sorted(missing), "services": index}
    with open(os.path.join(args.out, "index.json"), "w") as f:
        f.write(json.dumps(summary, separators=(",", ":")) + "\n")
    write_embedded(args.rust, args.out, [row[0] for row in index])
    total = sum(row[4] for row in index)
    ops = sum(row[3] for row in index)
    print(f"{len(index)} services, {ops} operations, {total} bytes; no botocore model for: {', '.join(missing)}", file=sys.stderr)


if __name__ == "__main__":
    main()
