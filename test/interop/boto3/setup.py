"""Provisions a pool the way an operator's boto3 script would; prints the ids the other scripts need."""
from common import args, client, emit, expect, is_datetime

PASSWORD, DOMAIN = args()["password"], args()["domain"]
cognito = client()

created = cognito.create_user_pool(
    PoolName="boto3-interop",
    Policies={
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": False,
            "TemporaryPasswordValidityDays": 3,
        }
    },
    AutoVerifiedAttributes=["email"],
    UsernameConfiguration={"CaseSensitive": False},
    Schema=[
        {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
        {
            "Name": "team",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "32"},
        },
    ],
    AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
    MfaConfiguration="OFF",
)["UserPool"]
pool_id = created["Id"]
expect(is_datetime(created["CreationDate"]), f"CreationDate is {type(created['CreationDate'])}")
expect(is_datetime(created["LastModifiedDate"]), "LastModifiedDate is a datetime")
expect(pool_id.startswith(cognito.meta.region_name + "_"), f"pool id {pool_id} names the region")
custom = [a for a in created["SchemaAttributes"] if a["Name"] == "custom:team"]
expect(len(custom) == 1 and custom[0]["StringAttributeConstraints"]["MaxLength"] == "32", f"custom:team in the schema: {custom}")

mfa = cognito.set_user_pool_mfa_config(
    UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
)
expect(mfa["MfaConfiguration"] == "OPTIONAL", f"MFA config answered {mfa}")

app = cognito.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="server-app",
    GenerateSecret=True,
    ExplicitAuthFlows=[
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ],
    ReadAttributes=["email", "custom:team"],
    WriteAttributes=["email", "custom:team"],
)["UserPoolClient"]
expect(len(app["ClientSecret"]) > 0 and is_datetime(app["CreationDate"]), "the client has a secret and a CreationDate")

domain = cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
resource = cognito.create_resource_server(
    UserPoolId=pool_id,
    Identifier="notes",
    Name="Notes API",
    Scopes=[{"ScopeName": "read", "ScopeDescription": "read notes"}],
)["ResourceServer"]
expect(resource["Scopes"][0]["ScopeName"] == "read", f"resource server {resource}")

machine = cognito.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="machine",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["notes/read"],
)["UserPoolClient"]

group = cognito.create_group(UserPoolId=pool_id, GroupName="admins", Description="operators", Precedence=1)["Group"]
expect(is_datetime(group["CreationDate"]), "the group has a CreationDate")

user = cognito.admin_create_user(
    UserPoolId=pool_id,
    Username="alice",
    TemporaryPassword="Temp0rary!pass",
    MessageAction="SUPPRESS",
    UserAttributes=[
        {"Name": "email", "Value": "alice@example.com"},
        {"Name": "email_verified", "Value": "true"},
        {"Name": "custom:team", "Value": "blue"},
    ],
)["User"]
expect(user["UserStatus"] == "FORCE_CHANGE_PASSWORD" and is_datetime(user["UserCreateDate"]), f"new user {user}")
cognito.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")

described = cognito.admin_get_user(UserPoolId=pool_id, Username="alice")
attributes = {a["Name"]: a["Value"] for a in described["UserAttributes"]}

emit(
    {
        "poolId": pool_id,
        "clientId": app["ClientId"],
        "clientSecret": app["ClientSecret"],
        "machineClientId": machine["ClientId"],
        "machineClientSecret": machine["ClientSecret"],
        "domain": DOMAIN,
        "domainAnswer": {k: v for k, v in domain.items() if k != "ResponseMetadata"},
        "userStatus": described["UserStatus"],
        "attributes": attributes,
        "mfa": mfa["SoftwareTokenMfaConfiguration"],
    }
)
