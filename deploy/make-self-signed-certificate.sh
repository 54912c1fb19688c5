#!/bin/sh
# Run once by docker-compose before nginx starts. Keeps the certificate in /certs when one is there (clinic.crt and
# clinic.key, PEM); otherwise makes a self-signed one for KNEECLINIC_HOSTNAME so the stack starts over HTTPS.
# Browsers warn about a self-signed certificate: replace it with the clinic's own and restart nginx.
set -eu
crt=/certs/clinic.crt
key=/certs/clinic.key
host="${KNEECLINIC_HOSTNAME:-localhost}"

if [ -s "$crt" ] && [ -s "$key" ]; then
    echo "Using the certificate in the certificate folder ($crt)."
    exit 0
fi
if [ -e "$crt" ] || [ -e "$key" ]; then
    echo "Only one of clinic.crt and clinic.key is in the certificate folder: add the other or remove both." >&2
    exit 1
fi

command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null
umask 077
openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes \
    -keyout "$key" -out "$crt" \
    -subj "/CN=$host" \
    -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1"
chmod 644 "$crt"
echo "Made a self-signed certificate for $host in the certificate folder (valid 825 days)."
