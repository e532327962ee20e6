#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The test cluster's pod network on this machine.
#   up:    bridge $BRIDGE with $BRIDGE_ADDRESS/$BRIDGE_PREFIX (the node agent's pods attach to it),
#          and `unreachable` routes for the service and pod ranges: ClusterIPs and kwok's fake pod
#          IPs exist nowhere, so any attempt to dial one fails at once instead of leaving the machine.
#          The bridge's own subnet is a more specific (connected) route, so real pods stay reachable.
#   down:  removes the bridge and those two routes.
#   check: exits 0 only if everything `up` sets is in place.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
bridge_subnet() { python3 -c "import ipaddress,sys; print(ipaddress.ip_interface(sys.argv[1]).network)" "$BRIDGE_ADDRESS/$BRIDGE_PREFIX"; }

case ${1:-} in
  up)
    ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
    ip addr replace "$BRIDGE_ADDRESS/$BRIDGE_PREFIX" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    ip route replace unreachable "$SERVICE_CIDR"
    ip route replace unreachable "$POD_CIDR"
    ;;
  down)
    ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE"
    for cidr in "$SERVICE_CIDR" "$POD_CIDR"; do
      if ip route show type unreachable | grep -q "^unreachable $cidr"; then ip route del unreachable "$cidr"; fi
    done
    ;;
  check)
    for cidr in "$SERVICE_CIDR" "$POD_CIDR"; do
      ip route show type unreachable | grep -q "^unreachable $cidr" || { echo "no unreachable route for $cidr"; exit 1; }
    done
    ip route show "$(bridge_subnet)" | grep -q "dev $BRIDGE" || { echo "no route for $(bridge_subnet) on $BRIDGE"; exit 1; }
    ;;
  *) echo "usage: $0 up|down|check" >&2; exit 2 ;;
esac
