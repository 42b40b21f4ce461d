#!/usr/bin/env python3
"""Write the "10,000 rules across 1,000 hosts" benchmark config for the Meshgate gateway.

  python3 load-tests/gen-many-routes.py [OUT_DIR] [--hosts 1000] [--rules 10]

OUT_DIR defaults to load-tests/bench-config/many-routes (next to this script). It writes:
  00-gateway.yaml          Gateway bench-gateway, port 80 HTTP, hosts ["*.bench.local"]
  01-backend.yaml          ServiceEntry bench-backend (STATIC, 127.0.0.1:9000 = the bench backend)
  10-virtualservices.yaml  VirtualServices svc-0000 .. svc-0999, host svc-NNNN.bench.local, gateways [bench-gateway],
                           each with RULES http rules: uri prefix /r0/ .. /r9/ -> bench-backend:8080
Output is deterministic (same arguments -> same bytes).
"""
import argparse
import os

GATEWAY = """\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: bench-gateway
  namespace: default
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*.bench.local"
"""

BACKEND = """\
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: bench-backend
  namespace: default
spec:
  hosts:
  - bench-backend.default.svc.cluster.local
  ports:
  - number: 8080
    name: http
    protocol: HTTP
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports:
      http: 9000
"""

RULE = """\
  - name: r{r}
    match:
    - uri:
        prefix: /r{r}/
    route:
    - destination:
        host: bench-backend.default.svc.cluster.local
        port:
          number: 8080
"""


def virtual_service(i, rules):
    head = f"""\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: svc-{i:04d}
  namespace: default
spec:
  hosts:
  - svc-{i:04d}.bench.local
  gateways:
  - bench-gateway
  http:
"""
    return head + "".join(RULE.format(r=r) for r in range(rules))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                           "bench-config", "many-routes"))
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--rules", type=int, default=10)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "00-gateway.yaml"), "w") as f:
        f.write(GATEWAY)
    with open(os.path.join(a.out, "01-backend.yaml"), "w") as f:
        f.write(BACKEND)
    with open(os.path.join(a.out, "10-virtualservices.yaml"), "w") as f:
        f.write("---\n".join(virtual_service(i, a.rules) for i in range(a.hosts)))
    print(f"wrote {a.hosts} VirtualServices x {a.rules} rules = {a.hosts * a.rules} rules to {a.out}")


if __name__ == "__main__":
    main()
