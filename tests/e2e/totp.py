"""RFC 6238 TOTP, as an authenticator app computes it (the journeys enrol and sign in like a person with a phone)."""

import base64
import hashlib
import hmac
import struct
import time


def totp_now(secret_base32: str, *, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 10**digits:0{digits}d}"
