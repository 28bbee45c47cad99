"""Account flows with boto3: NEW_PASSWORD_REQUIRED, SignUp + ConfirmSignUp, ForgotPassword + ConfirmForgotPassword.
The codes are read from the pool's outbox over HTTP."""
from common import args, client, emit, expect, jwt_claims, outbox_code, secret_hash

a = args()
cognito = client()
pool_id, client_id, secret, password = a["poolId"], a["clientId"], a["clientSecret"], a["password"]


def hashed(username):
    return secret_hash(secret, username, client_id)


def password_sign_in(username, pw):
    return cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": pw, "SECRET_HASH": hashed(username)},
    )


# NEW_PASSWORD_REQUIRED: an invited user signs in with the temporary password and sets one.
cognito.admin_create_user(
    UserPoolId=pool_id,
    Username="carol",
    TemporaryPassword="Temp0rary!pass",
    MessageAction="SUPPRESS",
    UserAttributes=[{"Name": "email", "Value": "carol@example.com"}, {"Name": "email_verified", "Value": "true"}],
)
challenge = password_sign_in("carol", "Temp0rary!pass")
expect(challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED" and challenge["Session"], f"challenge {challenge}")
answered = cognito.respond_to_auth_challenge(
    ClientId=client_id,
    ChallengeName="NEW_PASSWORD_REQUIRED",
    Session=challenge["Session"],
    ChallengeResponses={"USERNAME": "carol", "NEW_PASSWORD": password, "SECRET_HASH": hashed("carol")},
)
carol = jwt_claims(answered["AuthenticationResult"]["IdToken"])
carol_status = cognito.admin_get_user(UserPoolId=pool_id, Username="carol")["UserStatus"]

# SignUp, then ConfirmSignUp with the e-mailed code.
signed_up = cognito.sign_up(
    ClientId=client_id,
    SecretHash=hashed("bob"),
    Username="bob",
    Password=password,
    UserAttributes=[{"Name": "email", "Value": "bob@example.com"}, {"Name": "custom:team", "Value": "red"}],
)
expect(signed_up["UserConfirmed"] is False, f"sign-up answer {signed_up}")
delivery = signed_up["CodeDeliveryDetails"]
status_before = cognito.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"]
cognito.confirm_sign_up(
    ClientId=client_id, SecretHash=hashed("bob"), Username="bob", ConfirmationCode=outbox_code(pool_id, "bob")
)
status_after = cognito.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"]
bob = jwt_claims(password_sign_in("bob", password)["AuthenticationResult"]["IdToken"])

# ForgotPassword, then ConfirmForgotPassword with the code, then the new password signs in and the old one not.
forgot = cognito.forgot_password(ClientId=client_id, SecretHash=hashed("bob"), Username="bob")
new_password = password + "2"
cognito.confirm_forgot_password(
    ClientId=client_id,
    SecretHash=hashed("bob"),
    Username="bob",
    ConfirmationCode=outbox_code(pool_id, "bob"),
    Password=new_password,
)
after_reset = password_sign_in("bob", new_password)["AuthenticationResult"]
try:
    password_sign_in("bob", password)
    old_password = "accepted"
except cognito.exceptions.NotAuthorizedException as error:
    old_password = error.response["Error"]["Message"]

emit(
    {
        "newPassword": {"challenge": challenge["ChallengeName"], "parameters": challenge["ChallengeParameters"], "claims": carol, "status": carol_status},
        "signUp": {"userSub": signed_up["UserSub"], "delivery": delivery, "before": status_before, "after": status_after, "claims": bob},
        "forgot": {"delivery": forgot["CodeDeliveryDetails"], "signedIn": "AccessToken" in after_reset, "oldPassword": old_password},
    }
)
