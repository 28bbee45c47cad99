"""Shared by the boto3 interop scripts: a client for the local pool, the pool's outbox, JSON output."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config

POOL_URL = os.environ["POOL_URL"]


def client():
    # One attempt: a retried call would hide what the pool answered first.
    return boto3.client(
        "cognito-idp",
        endpoint_url=POOL_URL,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def args():
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def secret_hash(secret, username, client_id):
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def outbox_code(pool_id, username):
    query = urllib.parse.urlencode({"userPoolId": pool_id, "username": username})
    with urllib.request.urlopen(f"{POOL_URL}/_local/outbox?{query}", timeout=10) as response:
        messages = json.load(response)["messages"]
    if not messages or not messages[-1].get("code"):
        raise AssertionError(f"no code in the outbox for {username}: {messages}")
    return messages[-1]["code"]


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(exception_class, call, **kwargs):
    """The call must raise exactly this modeled exception; returns (code, message)."""
    try:
        call(**kwargs)
    except exception_class as error:
        return {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
    raise AssertionError(f"{call.__name__} did not raise {exception_class.__name__}")


def is_datetime(value):
    return isinstance(value, datetime.datetime) and value.tzinfo is not None


def emit(result):
    print(json.dumps(result, default=str))
