#!/usr/bin/env python3
"""Sign small PNG, JPEG and WebP images with C2PA Content Credentials, as OpenAI's API does.

Makes a throwaway certificate authority, signing certificate and time-stamping certificate with
`cryptography`, draws the images with Pillow, and signs them with `c2pa-python` (the Content
Authenticity Initiative's SDK, c2pa-rs underneath), so Easel's reader is checked against an
implementation it shares no code with. Like OpenAI's, the signatures carry an RFC 3161 time stamp:
the script runs a tiny Time-Stamp Authority on 127.0.0.1 (built with `asn1crypto`) that c2pa-rs
asks while signing, and that stamps every request with the same fixed time. Needs
`pip install c2pa-python cryptography pillow asn1crypto` (scripts/check-c2pa.sh makes a virtual
environment with them).

    make-c2pa-fixtures.py OUT_DIR [--size 16] [--time 2026-05-20T12:00:00Z] [--no-tsa] [--noise]

writes OUT_DIR/signed.png, signed.jpg, signed.webp (a "created" action with digital source type
trainedAlgorithmicMedia), edited.png (an edit: compositeWithTrainedAlgorithmicMedia) and
plain.png (no credentials). `--time` is the time the authority puts in its time stamps;
`--no-tsa` signs without a time stamp. The committed fixtures in
Tests/EaselKitTests/Credentials/Fixtures were made with the defaults, and their untimed.png is
the signed.png of a run with `--no-tsa`.
"""

import argparse
import contextlib
import datetime
import hashlib
import http.server
import io
import itertools
import json
import pathlib
import random
import sys
import threading

import c2pa
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
VALID_FROM = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
VALID_FOR = datetime.timedelta(days=3650)
# A policy under the OID arc reserved for examples (2.999): the authority is a test stand-in.
TSA_POLICY = "2.999.3161"


def name(organization, common_name):
    """An X.509 name in the US."""
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def builder(subject, issuer, key, ca):
    """A certificate builder for `key` (an EC key), valid VALID_FOR from VALID_FROM, with basic
    constraints and key usage for a CA (`ca`: sign certificates) or an end entity (sign data)."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM).not_valid_after(VALID_FROM + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                          crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def authority():
    """A self-signed CA certificate for ES256 and its private key."""
    key = ec.generate_private_key(ec.SECP256R1())
    root = name("Easel Test CA", "Easel Test Root")
    return builder(root, root, key, ca=True).sign(key, hashes.SHA256()), key


def end_entity(ca, ca_key, common_name, usage, usage_critical):
    """An ES256 certificate issued by `ca`, with the extensions C2PA's certificate profile asks for.

    `usage` is the one extended key usage; RFC 3161 wants it critical for a time-stamping
    certificate. Returns the certificate and its private key.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        builder(name("Easel Tests", common_name), ca.subject, key, ca=False)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=usage_critical)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


class TimeStampAuthority:
    """An RFC 3161 time-stamping authority that signs with `key` and `cert` and always says `time`."""

    def __init__(self, cert, key, time):
        self.cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        self.key = key
        self.time = time
        self.serials = itertools.count(1)

    def respond(self, query):
        """The DER TimeStampResp granting the DER TimeStampReq `query`."""
        request = tsp.TimeStampReq.load(query)
        info = tsp.TSTInfo({
            "version": "v1",
            "policy": TSA_POLICY,
            "message_imprint": request["message_imprint"],
            "serial_number": next(self.serials),
            "gen_time": self.time,
            "nonce": request["nonce"].native,
        })
        return tsp.TimeStampResp({
            "status": {"status": "granted"},
            "time_stamp_token": self.token(info, include_certificate=request["cert_req"].native),
        }).dump()

    def token(self, info, include_certificate):
        """A TimeStampToken: `info` in a CMS SignedData whose signed attributes name the certificate."""
        attributes = cms.CMSAttributes([
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(info.dump()).digest()]},
            {"type": "signing_certificate_v2", "values": [{"certs": [{
                "cert_hash": hashlib.sha256(self.cert.dump()).digest(),
                "issuer_serial": {
                    "issuer": [asn1_x509.GeneralName(name="directory_name", value=self.cert.issuer)],
                    "serial_number": self.cert.serial_number,
                },
            }]}]},
        ])
        # The signature covers the attributes' DER as a SET OF; asn1crypto sorts them as DER asks.
        signature = self.key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256()))
        signed_data = {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info", "content": info},
            "signer_infos": [{
                "version": "v1",
                "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value={
                    "issuer": self.cert.issuer, "serial_number": self.cert.serial_number}),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attributes,
                "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                "signature": signature,
            }],
        }
        if include_certificate:
            signed_data["certificates"] = [self.cert]
        return cms.ContentInfo({"content_type": "signed_data", "content": signed_data})


class TimeStampHandler(http.server.BaseHTTPRequestHandler):
    """Answers POSTs of application/timestamp-query with the server's TimeStampAuthority."""

    def do_POST(self):
        """Reply to one time-stamp request."""
        query = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get_content_type() != "application/timestamp-query":
            self.send_error(415)
            return
        reply = self.server.authority.respond(query)
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):
        """Keep the request log off stderr, where the script reports the files it writes."""


@contextlib.contextmanager
def serving(authority):
    """Serve `authority` over HTTP on a free port of 127.0.0.1 in a thread; yields its URL."""
    server = http.server.HTTPServer(("127.0.0.1", 0), TimeStampHandler)
    server.authority = authority
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def picture(size, fmt, noise=False):
    """A `size`×`size` gradient encoded as `fmt` (a Pillow format name); with `noise`, seeded random
    pixels instead, which compress as little as a photograph (a 1024 px PNG of about 3 MB)."""
    if noise:
        image = Image.frombytes("RGB", (size, size), random.Random(size).randbytes(size * size * 3))
    else:
        image = Image.new("RGB", (size, size))
        image.putdata([((x * 255) // size, (y * 255) // size, 128) for y in range(size) for x in range(size)])
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 90} if fmt != "PNG" else {}))
    return out.getvalue()


def sign(signer, data, mime, source_type, action, title):
    """`data` with a C2PA manifest holding one action of `source_type`, signed by `signer`."""
    manifest = {
        "claim_generator_info": [{"name": "Easel fixture signer", "version": "1.0"}],
        "title": title,
        "assertions": [{
            "label": "c2pa.actions",
            "data": {"actions": [{"action": action, "digitalSourceType": SOURCE_TYPES + source_type}]},
        }],
    }
    # No thumbnail assertion: it would make each fixture ~45 KB (OpenAI's carry none either).
    context = c2pa.Context.from_json(json.dumps({"builder": {"thumbnail": {"enabled": False}}}))
    builder = c2pa.Builder.from_json(json.dumps(manifest), context)
    out = io.BytesIO()
    builder.sign(signer, mime, io.BytesIO(data), out)
    return out.getvalue()


def fixtures(signer, size, noise=False):
    """The fixture files by name: four signed images and an unsigned one."""
    return {
        "signed.png": sign(signer, picture(size, "PNG", noise), "image/png", "trainedAlgorithmicMedia",
                           "c2pa.created", "signed.png"),
        "signed.jpg": sign(signer, picture(size, "JPEG", noise), "image/jpeg", "trainedAlgorithmicMedia",
                           "c2pa.created", "signed.jpg"),
        "signed.webp": sign(signer, picture(size, "WEBP", noise), "image/webp", "trainedAlgorithmicMedia",
                            "c2pa.created", "signed.webp"),
        "edited.png": sign(signer, picture(size, "PNG", noise), "image/png",
                           "compositeWithTrainedAlgorithmicMedia", "c2pa.created", "edited.png"),
        "plain.png": picture(size, "PNG", noise),
    }


def utc_time(text):
    """Parse an ISO 8601 time with a zone (such as 2026-05-20T12:00:00Z) as a UTC datetime."""
    time = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if time.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text}: give a time zone, such as Z")
    return time.astimezone(datetime.timezone.utc)


def main():
    """Parse the arguments and write the fixtures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--time", type=utc_time, default="2026-05-20T12:00:00Z",
                        help="the genTime of every time stamp (default: %(default)s)")
    parser.add_argument("--no-tsa", action="store_true", help="sign without an RFC 3161 time stamp")
    parser.add_argument("--noise", action="store_true",
                        help="random pixels instead of a gradient: files as large as photographs (benchmarks)")
    args = parser.parse_args()
    if not VALID_FROM <= args.time < VALID_FROM + VALID_FOR:
        parser.error(f"--time must lie within the certificates' validity, "
                     f"{VALID_FROM:%Y-%m-%d} to {VALID_FROM + VALID_FOR:%Y-%m-%d}")
    args.out.mkdir(parents=True, exist_ok=True)
    ca, ca_key = authority()
    leaf, key = end_entity(ca, ca_key, "Easel Test Signer", ExtendedKeyUsageOID.EMAIL_PROTECTION,
                           usage_critical=False)
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    with contextlib.ExitStack() as stack:
        ta_url = None
        if not args.no_tsa:
            # With a time-stamp URL c2pa-rs reserves 10,000 more bytes for the signature, so each
            # signed file carries about 9 KB of zero padding (the COSE "pad" header) besides the stamp.
            tsa_cert, tsa_key = end_entity(ca, ca_key, "Easel Test TSA",
                                           ExtendedKeyUsageOID.TIME_STAMPING, usage_critical=True)
            ta_url = stack.enter_context(serving(TimeStampAuthority(tsa_cert, tsa_key, args.time)))
        info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, pem_key, ta_url)
        made = fixtures(c2pa.Signer.from_info(info), args.size, args.noise)
    for name, data in made.items():
        (args.out / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
