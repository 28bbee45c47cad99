"""Modeled exceptions as boto3 raises them (botocore maps the pool's `__type`), with their messages."""
from common import args, client, emit, expect, expect_error, secret_hash

a = args()
cognito = client()
errors = cognito.exceptions
pool_id, client_id, secret = a["poolId"], a["clientId"], a["clientSecret"]

results = {
    "usernameExists": expect_error(
        errors.UsernameExistsException,
        cognito.admin_create_user,
        UserPoolId=pool_id,
        Username="alice",
        MessageAction="SUPPRESS",
    ),
    "wrongPassword": expect_error(
        errors.NotAuthorizedException,
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Wr0ng!password", "SECRET_HASH": secret_hash(secret, "alice", client_id)},
    ),
    "wrongSecretHash": expect_error(
        errors.NotAuthorizedException,
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": a["password"], "SECRET_HASH": secret_hash("not-the-secret", "alice", client_id)},
    ),
    "userNotFound": expect_error(errors.UserNotFoundException, cognito.admin_get_user, UserPoolId=pool_id, Username="nobody"),
    "poolNotFound": expect_error(
        errors.ResourceNotFoundException, cognito.describe_user_pool, UserPoolId=cognito.meta.region_name + "_NoSuchPool"
    ),
    "clientNotFound": expect_error(
        errors.ResourceNotFoundException,
        cognito.initiate_auth,
        ClientId="nosuchclient000000000000",
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": a["password"]},
    ),
    "invalidParameter": expect_error(
        errors.InvalidParameterException,
        cognito.admin_update_user_attributes,
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "custom:nosuch", "Value": "x"}],
    ),
    "invalidPassword": expect_error(
        errors.InvalidPasswordException,
        cognito.admin_set_user_password,
        UserPoolId=pool_id,
        Username="alice",
        Password="short",
        Permanent=True,
    ),
}

# botocore's client-side validation runs before any request: the pool never sees these.
try:
    cognito.admin_get_user(UserPoolId=pool_id)
    raise AssertionError("botocore accepted a call without Username")
except Exception as error:  # botocore.exceptions.ParamValidationError
    expect(type(error).__name__ == "ParamValidationError", f"validation raised {type(error).__name__}")
    results["paramValidation"] = type(error).__name__

for name, value in results.items():
    if isinstance(value, dict):
        expect(value["message"], f"{name} has an Error.Message")
emit(results)
