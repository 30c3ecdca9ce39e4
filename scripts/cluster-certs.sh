#!/usr/bin/env bash
# Makes a throwaway certificate authority and the certificates of the cluster's mutual TLS (docs/security.md) in DIR:
#   ca.pem                    the authority peers' certificates must chain to (Orleans:Tls:AuthorityPath)
#   silo.pem, silo.key        every silo's certificate and key, subject CN=provisioning-silo
#   gateway.pem, gateway.key  the gateway's (an Orleans client) certificate and key, subject CN=provisioning-gateway
# Existing files are kept while they are valid for another day; the authority's key (ca.key) stays in DIR.
#   usage: scripts/cluster-certs.sh DIR [DAYS]   (DAYS: validity, default 30)
set -euo pipefail
dir="${1:?usage: scripts/cluster-certs.sh DIR [DAYS]}"
days="${2:-30}"
command -v openssl >/dev/null 2>&1 || { echo "error: openssl is required to make the cluster's certificates" >&2; exit 1; }
mkdir -p "$dir"
umask 077
valid() { [ -f "$dir/$1.pem" ] && [ -f "$dir/$1.key" ] && openssl x509 -checkend 86400 -noout -in "$dir/$1.pem" >/dev/null 2>&1; }
if valid ca && valid silo && valid gateway; then
  exit 0
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -subj "/CN=provisioning-cluster-ca" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

issue() { # issue NAME: a certificate for both ends of a connection (silos dial each other and accept dials)
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=provisioning-$1" \
    -keyout "$dir/$1.key" -out "$dir/$1.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:provisioning-$1,DNS:localhost,IP:127.0.0.1" >"$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -extfile "$dir/$1.ext" -out "$dir/$1.pem" 2>/dev/null
  rm -f "$dir/$1.csr" "$dir/$1.ext"
}
issue silo
issue gateway
rm -f "$dir/ca.srl"
# Readable by the containers' non-root user when the folder is mounted (docker-compose.yml).
chmod 644 "$dir"/*.pem "$dir"/silo.key "$dir"/gateway.key
echo "cluster certificates written to $dir"
