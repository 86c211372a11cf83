#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""A JSON-RPC client for the node: HTTP/1.1 keep-alive, Basic auth, JSON-RPC 2.0 requests.

`proxy.getblockcount()` sends one request; keyword arguments become named parameters, and positional
plus keyword arguments travel as named parameters with the positional ones under "args" (the node's
merge rule). An error reply raises JSONRPCException carrying the error object. A reply that is not
JSON (any content type but application/json) raises code -342, which the framework's readiness poll
tolerates.
"""

import base64
import decimal
import http.client
import json
import logging
import time
import urllib.parse

USER_AGENT = "AuthServiceProxy/0.1"
HTTP_TIMEOUT = 30

log = logging.getLogger("TestFramework.jsonrpc")


class JSONRPCException(Exception):
    def __init__(self, rpc_error, http_status=None):
        try:
            text = f"{rpc_error['message']} ({rpc_error['code']})"
        except (KeyError, TypeError):
            text = ""
        super().__init__(text)
        self.error = rpc_error
        self.http_status = http_status


def _encode_decimal(o):
    if isinstance(o, decimal.Decimal):
        return float(o) if o != o.to_integral_value() else int(o)
    raise TypeError(f"{o!r} is not JSON serializable")


class AuthServiceProxy:
    """Calls methods on one URL; child proxies (proxy.wallet_thing) share the connection."""

    def __init__(self, service_url, service_name=None, timeout=HTTP_TIMEOUT, connection=None, ensure_ascii=True):
        self.__service_url = service_url
        self._service_name = service_name
        self.ensure_ascii = ensure_ascii
        self.__url = urllib.parse.urlparse(service_url)
        user = urllib.parse.unquote_to_bytes(self.__url.username or "")
        passwd = urllib.parse.unquote_to_bytes(self.__url.password or "")
        self.__auth_header = b"Basic " + base64.b64encode(user + b":" + passwd)
        self.timeout = timeout
        self._set_conn(connection)
        self.__id_count = 0

    def _set_conn(self, connection=None):
        port = 80 if self.__url.port is None else self.__url.port
        if connection:
            self.__conn = connection
            self.timeout = connection.timeout
        else:
            self.__conn = http.client.HTTPConnection(self.__url.hostname, port, timeout=self.timeout)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if self._service_name is not None:
            name = f"{self._service_name}.{name}"
        return AuthServiceProxy(self.__service_url, name, connection=self.__conn)

    def _request(self, method, path, postdata):
        headers = {"Host": self.__url.hostname, "User-Agent": USER_AGENT, "Authorization": self.__auth_header,
                   "Content-type": "application/json"}
        # No retry: a server that drops a kept-alive connection must show up as an error.
        self.__conn.request(method, path, postdata, headers)
        return self._get_response()

    def get_request(self, *args, **argsn):
        self.__id_count += 1
        log.debug("-%s-> %s %s", self.__id_count, self._service_name,
                  json.dumps(args or argsn, default=_encode_decimal, ensure_ascii=self.ensure_ascii))
        if args and argsn:
            params = dict(args=args, **argsn)
        else:
            params = args or argsn
        return {"jsonrpc": "2.0", "method": self._service_name, "params": params, "id": self.__id_count}

    def __call__(self, *args, **argsn):
        postdata = json.dumps(self.get_request(*args, **argsn), default=_encode_decimal, ensure_ascii=self.ensure_ascii)
        response, status = self._request("POST", self.__url.path or "/", postdata.encode("utf-8"))
        if "error" in response and response["error"] is not None:
            raise JSONRPCException(response["error"], status)
        if status != http.client.OK:
            raise JSONRPCException({"code": -342, "message": "non-200 HTTP status code"}, status)
        if "result" not in response:
            raise JSONRPCException({"code": -343, "message": "missing JSON-RPC result"}, status)
        return response["result"]

    def batch(self, rpc_call_list):
        postdata = json.dumps(list(rpc_call_list), default=_encode_decimal, ensure_ascii=self.ensure_ascii)
        log.debug("--> %s", postdata)
        response, status = self._request("POST", self.__url.path or "/", postdata.encode("utf-8"))
        if status != http.client.OK:
            raise JSONRPCException({"code": -342, "message": "non-200 HTTP status code"}, status)
        return response

    def _get_response(self):
        started = time.time()
        try:
            http_response = self.__conn.getresponse()
        except TimeoutError:
            raise JSONRPCException({
                "code": -344,
                "message": f"{self._service_name!r} RPC took longer than {self.__conn.timeout} seconds. Consider "
                           "using larger timeout for calls that take longer to return."})
        if http_response is None:
            raise JSONRPCException({"code": -342, "message": "missing HTTP response from server"})
        body = http_response.read().decode("utf8")
        content_type = http_response.getheader("Content-Type")
        if content_type != "application/json":
            raise JSONRPCException(
                {"code": -342, "message": f"non-JSON HTTP response with '{http_response.status} {http_response.reason}' "
                                          f"from server: {body!r}"}, http_response.status)
        response = json.loads(body, parse_float=decimal.Decimal)
        elapsed = time.time() - started
        if isinstance(response, dict) and response.get("error") is None:
            log.debug("<-%s- [%.6f] %s", response.get("id"), elapsed,
                      json.dumps(response.get("result"), default=_encode_decimal, ensure_ascii=self.ensure_ascii))
        else:
            log.debug("<-- [%.6f] %s", elapsed, body)
        return response, http_response.status

    def __truediv__(self, relative_uri):
        return AuthServiceProxy(f"{self.__service_url}/{relative_uri}", self._service_name, connection=self.__conn)
