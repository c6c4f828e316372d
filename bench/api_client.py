"""A client of the JSON API written from /api/v1/openapi.json alone: it knows only operation ids and the names
of their parameters, and reads from the document where each one goes (path, query, header, body) and which
header an operation requires (the Idempotency-Key of every POST).

    python bench/api_client.py BASE_URL OFFICIAL_TOKEN SALES_TOKEN PRODUCT_ID
lists the official's district queue (every page, by cursor) and posts one sale; standard library only.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date


class ApiClient:
    def __init__(self, base_url: str, token: str = ""):
        self.base_url, self.token = base_url.rstrip("/"), token
        with urllib.request.urlopen(f"{self.base_url}/api/v1/openapi.json") as response:
            self.schema = json.load(response)
        self.operations = {
            op["operationId"]: (method.upper(), path, op)
            for path, methods in self.schema["paths"].items()
            for method, op in methods.items()
        }

    def call(self, operation_id: str, token: str | None = None, **arguments):
        """Call an operation by id; ``arguments`` are its parameters by name, and ``body`` its JSON body."""
        method, path, op = self.operations[operation_id]
        query, headers = {}, {"Accept": "application/json", "Accept-Language": "zh-hans"}
        for parameter in op.get("parameters", []):
            name, where = parameter["name"], parameter["in"]
            if where == "header" and name == "Idempotency-Key" and parameter.get("required"):
                headers[name] = arguments.pop("idempotency_key", None) or str(uuid.uuid4())
            elif name in arguments and where == "path":
                path = path.replace("{" + name + "}", urllib.parse.quote(str(arguments.pop(name))))
            elif name in arguments and where == "query":
                query[name] = arguments.pop(name)
        data = None
        if "requestBody" in op:
            data = json.dumps(arguments.pop("body")).encode()
            headers["Content-Type"] = "application/json"
        if arguments:
            raise TypeError(f"{operation_id} has no parameter {sorted(arguments)}")
        if token or self.token:
            headers["Authorization"] = f"Bearer {token or self.token}"
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def every_page(self, operation_id: str, **arguments):
        cursor = None
        while True:
            status, page = self.call(operation_id, **arguments, **({"cursor": cursor} if cursor else {}))
            if status != 200:
                raise RuntimeError(page)
            yield from page["items"]
            if not (cursor := page["next_cursor"]):
                return


def main(base_url: str, official_token: str, sales_token: str, product_id: str) -> None:
    client = ApiClient(base_url, official_token)
    queue = list(client.every_page("office_queue", limit=50))
    print(f"queue: {len(queue)} applications")
    for row in queue[:10]:
        print(f"  {row['number']}  {row['state_label']}  {row['buyer']}  due {row['next_due']}")
    status, sale = client.call(
        "post_sale",
        sales_token,
        body={
            "product_id": int(product_id),
            "serial_number": f"SN-{uuid.uuid4().hex[:8].upper()}",
            "invoice_number": "No.00000001",
            "sold_on": date.today().isoformat(),
            "price": "62000.00",
            "buyer_id_number": "11010519491231002X",
            "buyer_mobile": "13800000001",
        },
    )
    print(f"sale: {status} {sale}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
