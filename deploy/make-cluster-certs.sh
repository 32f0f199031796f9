#!/usr/bin/env bash
# Makes the certificates for TLS with client authentication on the cluster's event bus:
#
#   CLUSTER_TLS_PASSWORD=... deploy/make-cluster-certs.sh DIR MEMBER...
#
# DIR/ca.p12          the cluster's own certificate authority (its private key: keep it off the members)
# DIR/truststore.p12  the CA's certificate only: give it to every member (--cluster-tls-truststore)
# DIR/MEMBER.p12      one member's private key and certificate, signed by the CA (--cluster-tls-keystore)
#
# Every store is PKCS12 protected by CLUSTER_TLS_PASSWORD (members read it from the same variable). A member trusts
# exactly the certificates this CA signed, both ways: one without such a certificate cannot open an event-bus
# connection to a member, and a member does not send to a node that cannot show one. Run it again with more MEMBER
# names to add members (an existing ca.p12 is kept). Needs only the JDK's keytool.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
password=${CLUSTER_TLS_PASSWORD:?set CLUSTER_TLS_PASSWORD to the password of the stores}
dir=$1
shift
keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
store() { # store FILE: the options naming a PKCS12 store
  echo -keystore "$1" -storetype PKCS12 -storepass:env CLUSTER_TLS_PASSWORD
}
mkdir -p "$dir"
export CLUSTER_TLS_PASSWORD="$password"
if [ ! -f "$dir/ca.p12" ]; then
  $keytool -genkeypair $(store "$dir/ca.p12") -alias ca -keyalg EC -groupname secp256r1 -validity 3650 \
      -dname "CN=nostr-gpu-relay cluster CA" -ext bc:c
  rm -f "$dir/truststore.p12"
fi
$keytool -exportcert $(store "$dir/ca.p12") -alias ca -rfc -file "$dir/ca.pem"
[ -f "$dir/truststore.p12" ] || $keytool -importcert -noprompt $(store "$dir/truststore.p12") -alias ca -file "$dir/ca.pem"
for member in "$@"; do
  rm -f "$dir/$member.p12"
  $keytool -genkeypair $(store "$dir/$member.p12") -alias member -keyalg EC -groupname secp256r1 -validity 825 \
      -dname "CN=$member"
  $keytool -certreq $(store "$dir/$member.p12") -alias member -file "$dir/$member.csr"
  $keytool -gencert $(store "$dir/ca.p12") -alias ca -infile "$dir/$member.csr" -outfile "$dir/$member.pem" -rfc \
      -validity 825 -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth
  $keytool -importcert -noprompt $(store "$dir/$member.p12") -alias ca -file "$dir/ca.pem"
  $keytool -importcert $(store "$dir/$member.p12") -alias member -file "$dir/$member.pem"
  rm "$dir/$member.csr" "$dir/$member.pem"
  echo "$dir/$member.p12"
done
