"""Machine tokens (GetClientToken when this botocore models it, else the domain's token endpoint) and the
SAML signing certificate, read with Python's ssl module."""
import base64
import json
import os
import ssl
import tempfile
import urllib.parse
import urllib.request

from common import POOL_URL, args, client, emit, expect, jwt_claims

a = args()
cognito = client()
client_id, secret = a["machineClientId"], a["machineClientSecret"]

if "GetClientToken" in cognito.meta.service_model.operation_names:
    via = "GetClientToken"
    answer = cognito.get_client_token(ClientId=client_id, Secret=secret)["ClientAuthenticationResult"]
    token = {"access_token": answer["AccessToken"], "token_type": answer["TokenType"], "expires_in": answer["ExpiresIn"]}
else:
    via = "token endpoint"
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(
        f"{POOL_URL}/_domain/{a['domain']}/oauth2/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "notes/read"}).encode(),
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token = json.load(response)

certificate_b64 = cognito.get_signing_certificate(UserPoolId=a["poolId"])["Certificate"]
der = base64.b64decode(certificate_b64, validate=True)
pem = ssl.DER_cert_to_PEM_cert(der)
expect(ssl.PEM_cert_to_DER_cert(pem) == der, "the certificate survives PEM round-tripping")
certificate = None
decode = getattr(ssl._ssl, "_test_decode_cert", None)  # CPython's own X.509 parser (private: None where missing, which the jest side refuses)
if decode:
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as file:
        file.write(pem)
    try:
        parsed = decode(file.name)
    finally:
        os.unlink(file.name)
    certificate = {
        "subject": [list(rdn[0]) for rdn in parsed["subject"]],
        "issuer": [list(rdn[0]) for rdn in parsed["issuer"]],
        "notBefore": parsed["notBefore"],
        "notAfter": parsed["notAfter"],
        "version": parsed["version"],
    }

emit(
    {
        "via": via,
        "tokenType": token["token_type"],
        "expiresIn": token["expires_in"],
        "claims": jwt_claims(token["access_token"]),
        "certificate": certificate,
        "derBytes": len(der),
    }
)
