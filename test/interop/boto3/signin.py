"""Sign-in with boto3: USER_PASSWORD_AUTH with a SECRET_HASH made here, ADMIN_USER_PASSWORD_AUTH, refresh, GetUser."""
from common import args, client, emit, expect, jwt_claims, secret_hash

a = args()
cognito = client()
username, password = a["username"], a["password"]

signed_in = cognito.initiate_auth(
    ClientId=a["clientId"],
    AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={
        "USERNAME": username,
        "PASSWORD": password,
        "SECRET_HASH": secret_hash(a["clientSecret"], username, a["clientId"]),
    },
)
tokens = signed_in["AuthenticationResult"]
expect(tokens["TokenType"] == "Bearer" and isinstance(tokens["ExpiresIn"], int), f"tokens {tokens.keys()}")
access = jwt_claims(tokens["AccessToken"])
identity = jwt_claims(tokens["IdToken"])

admin = cognito.admin_initiate_auth(
    UserPoolId=a["poolId"],
    ClientId=a["clientId"],
    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
    AuthParameters={
        "USERNAME": username,
        "PASSWORD": password,
        "SECRET_HASH": secret_hash(a["clientSecret"], username, a["clientId"]),
    },
)["AuthenticationResult"]

# A refresh has no USERNAME parameter: its SECRET_HASH is over the internal username (the access token's `username`).
refreshed = cognito.initiate_auth(
    ClientId=a["clientId"],
    AuthFlow="REFRESH_TOKEN_AUTH",
    AuthParameters={
        "REFRESH_TOKEN": tokens["RefreshToken"],
        "SECRET_HASH": secret_hash(a["clientSecret"], access["username"], a["clientId"]),
    },
)["AuthenticationResult"]
expect("RefreshToken" not in refreshed, "a refresh does not hand out a new refresh token")

me = cognito.get_user(AccessToken=refreshed["AccessToken"])

# botocore writes JSON with ASCII escapes ("\u00eb", a surrogate pair for the emoji); the hash is over UTF-8.
unicode_name = "zo\u00eb\U0001F600"
cognito.admin_create_user(UserPoolId=a["poolId"], Username=unicode_name, MessageAction="SUPPRESS")
cognito.admin_set_user_password(UserPoolId=a["poolId"], Username=unicode_name, Password=password, Permanent=True)
unicode_tokens = cognito.initiate_auth(
    ClientId=a["clientId"],
    AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": unicode_name, "PASSWORD": password, "SECRET_HASH": secret_hash(a["clientSecret"], unicode_name, a["clientId"])},
)["AuthenticationResult"]

emit(
    {
        "accessClaims": access,
        "idClaims": identity,
        "adminAccessClaims": jwt_claims(admin["AccessToken"]),
        "refreshedClaims": jwt_claims(refreshed["AccessToken"]),
        "refreshedIdClaims": jwt_claims(refreshed["IdToken"]),
        "unicodeUsername": jwt_claims(unicode_tokens["AccessToken"])["username"],
        "getUser": {"Username": me["Username"], "UserAttributes": {x["Name"]: x["Value"] for x in me["UserAttributes"]}},
    }
)
