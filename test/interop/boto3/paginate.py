"""boto3's own paginators over more items than one page (PageSize 2), with the pool's pagination tokens."""
from common import args, client, emit, expect

a = args()
cognito = client()
pool_id = a["poolId"]
PAGE = {"PageSize": 2}

for n in range(5):
    cognito.create_group(UserPoolId=pool_id, GroupName=f"pages{n}")
for n in range(5):
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=f"pager{n}",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"pager{n}@paged.example"}],
    )
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="pager0", GroupName=f"pages{n}")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=f"pager{n}", GroupName="pages1")
    cognito.create_user_pool_client(UserPoolId=pool_id, ClientName=f"paged-client-{n}")
    cognito.create_resource_server(UserPoolId=pool_id, Identifier=f"paged-api-{n}", Name=f"API {n}")
for n in range(3):
    cognito.create_user_pool(PoolName=f"paged-pool-{n}")


def collect(operation, key, name, **kwargs):
    pages = list(cognito.get_paginator(operation).paginate(PaginationConfig=PAGE, **kwargs))
    items = [item[name] if name else item for page in pages for item in page[key]]
    expect(len(items) == len(set(items)), f"{operation}: an item came twice: {items}")
    expect(all(len(page[key]) <= 2 for page in pages), f"{operation}: a page over the size")
    return {"pages": len(pages), "items": sorted(items)}


emit(
    {
        "listUsers": collect("list_users", "Users", "Username", UserPoolId=pool_id, Filter='email ^= "pager"'),
        "listGroups": collect("list_groups", "Groups", "GroupName", UserPoolId=pool_id),
        "listUsersInGroup": collect("list_users_in_group", "Users", "Username", UserPoolId=pool_id, GroupName="pages1"),
        "adminListGroupsForUser": collect("admin_list_groups_for_user", "Groups", "GroupName", UserPoolId=pool_id, Username="pager0"),
        "listUserPools": collect("list_user_pools", "UserPools", "Name"),
        "listUserPoolClients": collect("list_user_pool_clients", "UserPoolClients", "ClientName", UserPoolId=pool_id),
        "listResourceServers": collect("list_resource_servers", "ResourceServers", "Identifier", UserPoolId=pool_id),
    }
)
