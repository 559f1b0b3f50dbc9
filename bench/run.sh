#!/usr/bin/env bash
# Gateway benchmark: direct vs bare YARP vs the gateway in its production configuration, same machine, same run.
# Usage: bash bench/run.sh [--quick] [--stock] [--micro] [--soak]
#   --quick  shorter measuring rounds (3 s) for a smoke check
#   --stock  also measure a third proxy in the non-streaming cases: bare YARP with stock observability switched on
#            (OpenTelemetry ASP.NET Core + HttpClient instrumentation exported over OTLP, Prometheus, Serilog request
#            logging to a JSON file); adds about 3 minutes
#   --micro  also run the BenchmarkDotNet micro-benchmarks (parsers, sanitizer)
#   --soak   also run the 10-minute soak (mixed streaming, errors, aborts; RSS and sockets sampled)
#   --soak-only  only start the processes and run the soak
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WARMUP=1; DURATION=6; CONNECTIONS=32; MICRO=0; SOAK=0; ONLY_SOAK=0; STOCK=0
for arg in "$@"; do
  case "$arg" in
    --quick) WARMUP=1; DURATION=3 ;;
    --micro) MICRO=1 ;;
    --stock) STOCK=1 ;;
    --soak) SOAK=1 ;;
    --soak-only) SOAK=1; ONLY_SOAK=1 ;;
    *) echo "unknown option $arg"; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk"; exit 1; }

OUT=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT

echo "== building (Release)"
dotnet build Gateway.Proxy/Gateway.Proxy.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/Upstream/Upstream.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/BareYarp/BareYarp.csproj -c Release -v q -nologo >/dev/null

UP=19101; BARE=19102; GW=19103; SLOW_UP=19104; SLOW_GW=19105; STOCK_PORT=19106; STOCK_OTLP=19107
# On 2+ cores, the proxy under test gets core 0; wrk and the upstream share core 1. Without pinning, the three
# processes fight over the same cores and run-to-run noise hides differences of 30%.
PROXY_CPU=(); LOAD_CPU=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PROXY_CPU=(taskset -c 0); LOAD_CPU=(taskset -c 1); fi
route_env() {  # the gateway's five routes, prefix removed, pointed at one upstream
  local up=$1
  for c in anthropic openai gemini bedrock; do
    echo "ReverseProxy__Clusters__${c}__Destinations__primary__Address=http://127.0.0.1:${up}/"
  done
}
start() {  # name port env... -- command...
  local name=$1 port=$2; shift 2
  local envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  env "${envs[@]}" "$@" > "$OUT/$name.out" 2>&1 &
  local pid=$!; PIDS+=("$pid"); echo "$pid" > "$OUT/$name.pid"
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "$name did not start:"; cat "$OUT/$name.out"; exit 1
}
pid_of() { cat "$OUT/$1.pid"; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# Bare YARP gets the same routes as the gateway (from routes.json) and nothing else.
BARE_ROUTES=$(python3 - <<PY
import json
r = json.load(open("routes.json"))["ReverseProxy"]
out = []
for rid, route in r["Routes"].items():
    out.append(f"ReverseProxy__Routes__{rid}__ClusterId={route['ClusterId']}")
    out.append(f"ReverseProxy__Routes__{rid}__Match__Path={route['Match']['Path']}")
    out.append(f"ReverseProxy__Routes__{rid}__Transforms__0__PathRemovePrefix=/{rid}")
    out.append(f"ReverseProxy__Clusters__{rid}__Destinations__primary__Address=http://127.0.0.1:$UP/")
print("\n".join(out))
PY
)

echo "== starting upstream :$UP, bare YARP :$BARE, gateway :$GW"
start upstream $UP DOTNET_gcServer=0 -- "${LOAD_CPU[@]}" dotnet bench/Upstream/bin/Release/net10.0/Upstream.dll --urls "http://127.0.0.1:$UP"
mapfile -t BARE_ENV <<< "$BARE_ROUTES"
start bare $BARE "${BARE_ENV[@]}" -- "${PROXY_CPU[@]}" dotnet bench/BareYarp/bin/Release/net10.0/BareYarp.dll --urls "http://127.0.0.1:$BARE"
mapfile -t GW_ROUTES < <(route_env $UP)
# The documented production configuration: metrics on, every request traced and exported over OTLP,
# JSON logs to file at INFO with sanitization, rate limiting on (limit too high to reject), usage and cost on.
GW_ENV=("${GW_ROUTES[@]}" "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$UP" "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
  "OTEL_TRACES_SAMPLER=always_on" "RATE_LIMIT_ENABLED=true" "RATE_LIMIT_DEFAULT=1000000/second" "GATEWAY_LOG_LEVEL=INFO"
  "GatewayLogging__EnableConsole=false" "GatewayLogging__File=$OUT/logs/gateway.log" "GatewayLogging__Sanitize=true")
start gateway $GW "${GW_ENV[@]}" -- "${PROXY_CPU[@]}" dotnet Gateway.Proxy/bin/Release/net10.0/Gateway.Proxy.dll --urls "http://127.0.0.1:$GW" --contentRoot "$ROOT"
TARGETS=(bare gateway)
if [ "$STOCK" = 1 ]; then
  # Same routes as bare YARP; its spans go to a receiver of their own (so the gateway's span count stays its own),
  # its request log to its own file.
  start stock_receiver $STOCK_OTLP DOTNET_gcServer=0 -- "${LOAD_CPU[@]}" dotnet bench/Upstream/bin/Release/net10.0/Upstream.dll --urls "http://127.0.0.1:$STOCK_OTLP"
  start stock $STOCK_PORT "${BARE_ENV[@]}" BARE_INSTRUMENTED=true "BARE_LOG_FILE=$OUT/logs-stock/requests.log" \
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$STOCK_OTLP" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_TRACES_SAMPLER=always_on \
    -- "${PROXY_CPU[@]}" dotnet bench/BareYarp/bin/Release/net10.0/BareYarp.dll --urls "http://127.0.0.1:$STOCK_PORT"
fi

run_wrk() {  # case target-name port prefix -> prints "rps p50 p99 errors requests"
  local case=$1 port=$3 prefix=$4 conns=${5:-$CONNECTIONS}
  CASE=$case PREFIX=$prefix "${LOAD_CPU[@]}" wrk -t2 -c"$conns" -d"${WARMUP}s" -s bench/wrk/request.lua "http://127.0.0.1:$port" >/dev/null 2>&1 || true
  local pid=""; [ "$2" != direct ] && pid=$(pid_of "$2")
  local before=0; [ -n "$pid" ] && before=$(cpu_ticks "$pid")
  local line
  line=$(CASE=$case PREFIX=$prefix "${LOAD_CPU[@]}" wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 10s -s bench/wrk/request.lua "http://127.0.0.1:$port" | grep '^RESULT')
  local after=0; [ -n "$pid" ] && after=$(cpu_ticks "$pid")
  read -r _ requests rps p50 p99 errors <<< "$line"
  local cpu_us="-"
  if [ -n "$pid" ] && [ "$requests" -gt 0 ]; then cpu_us=$(awk -v t=$((after-before)) -v r="$requests" 'BEGIN {printf "%.0f", t*10000/r}'); fi
  echo "$rps $p50 $p99 $errors $requests $cpu_us"
}

if [ "$ONLY_SOAK" = 0 ]; then
# Warm-up until steady state. .NET compiles in tiers (quick JIT, then instrumented, then optimized with the
# profile), and on a process pinned to one core the runtime stretches its tiering delays tenfold: the gateway,
# with many more methods than bare YARP, needs about a minute of load before its code is fully optimized.
# Measuring earlier compares a half-compiled gateway with a compiled baseline. All request shapes run together
# so that every path is compiled; a target is warm after at least 80 s once three 4-second rounds in a row agree
# within 4% (earlier, the tiers still change in steps, with plateaus in between that look steady).
warm_until_steady() {  # name port
  local name=$1 port=$2 pid cur prev=0 prev2=0 i before after total
  pid=$(pid_of "$name")
  for i in $(seq 1 26); do
    before=$(cpu_ticks "$pid"); total=0; local loads=()
    for c in anthropic stream; do
      CASE=$c PREFIX=/anthropic "${LOAD_CPU[@]}" wrk -t1 -c12 -d4s -s bench/wrk/request.lua "http://127.0.0.1:$port" > "$OUT/warm-$c.txt" 2>&1 &
      loads+=($!)
    done
    CASE=openai PREFIX=/openai "${LOAD_CPU[@]}" wrk -t1 -c12 -d4s -s bench/wrk/request.lua "http://127.0.0.1:$port" > "$OUT/warm-openai.txt" 2>&1
    wait "${loads[@]}"
    after=$(cpu_ticks "$pid")
    for c in anthropic stream openai; do total=$((total + $(awk '/^RESULT/ {print $2}' "$OUT/warm-$c.txt"))); done
    cur=$(awk -v t=$((after-before)) -v r="$total" 'BEGIN {printf "%.1f", t*10000/r}')
    if [ "$i" -ge 20 ] && awk -v a="$prev2" -v b="$prev" -v c="$cur" 'BEGIN {d1=(a-c)/c; d2=(b-c)/c; exit !(d1<0.04 && d1>-0.04 && d2<0.04 && d2>-0.04)}'; then break; fi
    prev2=$prev; prev=$cur
  done
  echo "  $name steady after $((i*4)) s of mixed load ($cur us CPU per mixed request)"
}
echo "== warming up to steady state"
warm_until_steady bare $BARE
warm_until_steady gateway $GW
[ "$STOCK" = 1 ] && warm_until_steady stock $STOCK_PORT
CASE=big PREFIX=/anthropic "${LOAD_CPU[@]}" wrk -t2 -c8 -d3s -s bench/wrk/request.lua "http://127.0.0.1:$BARE" >/dev/null 2>&1 || true
CASE=big PREFIX=/anthropic "${LOAD_CPU[@]}" wrk -t2 -c8 -d3s -s bench/wrk/request.lua "http://127.0.0.1:$GW" >/dev/null 2>&1 || true

median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# Bare YARP and the gateway are measured in alternation, three rounds each, and the median round of each is
# reported, so that drift on the machine during the run touches both alike.
port_of() { case $1 in bare) echo $BARE ;; gateway) echo $GW ;; stock) echo $STOCK_PORT ;; esac; }
measure_case() {  # case conns [targets...] -> prints rows and the ratio line
  local case=$1 conns=$2 prefix=/anthropic round target port; shift 2
  local targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(bare gateway)
  [ "$case" = openai ] && prefix=/openai
  declare -A rps p50 p99 cpu err
  read -r rps[direct] p50[direct] p99[direct] err[direct] _ cpu[direct] <<< "$(run_wrk "$case" direct "$UP" "" "$conns")"
  for round in 1 2 3; do
    for target in "${targets[@]}"; do
      port=$(port_of "$target")
      read -r r a b e _ c <<< "$(run_wrk "$case" "$target" "$port" "$prefix" "$conns")"
      rps[$target$round]=$r; p50[$target$round]=$a; p99[$target$round]=$b; cpu[$target$round]=$c; err[$target]=$(( ${err[$target]:-0} + e ))
    done
  done
  for target in "${targets[@]}"; do
    rps[$target]=$(median3 "${rps[${target}1]}" "${rps[${target}2]}" "${rps[${target}3]}")
    p50[$target]=$(median3 "${p50[${target}1]}" "${p50[${target}2]}" "${p50[${target}3]}")
    p99[$target]=$(median3 "${p99[${target}1]}" "${p99[${target}2]}" "${p99[${target}3]}")
    cpu[$target]=$(median3 "${cpu[${target}1]}" "${cpu[${target}2]}" "${cpu[${target}3]}")
  done
  for target in direct "${targets[@]}"; do
    local peak
    if [ "$target" = direct ]; then peak=$(peak_rss_mb "$(pid_of upstream)"); else peak=$(peak_rss_mb "$(pid_of $target)"); fi
    printf "%-10s %-8s %10s %9s %9s %7s %9s %8s\n" "$case" "$target" "${rps[$target]}" "${p50[$target]}" "${p99[$target]}" "${err[$target]}" "${cpu[$target]}" "$peak"
  done
  awk -v g="${rps[gateway]}" -v b="${rps[bare]}" -v d="${rps[direct]}" -v gp="${p99[gateway]}" -v bp="${p99[bare]}" \
    'BEGIN {printf "%-10s ratios: gateway/bare rps %.2f, p99 %.2f; bare/direct rps %.2f\n", "", g/b, gp/bp, b/d}'
  if [ -n "${rps[stock]:-}" ]; then
    awk -v s="${rps[stock]}" -v b="${rps[bare]}" -v sp="${p99[stock]}" -v bp="${p99[bare]}" -v g="${rps[gateway]}" \
      'BEGIN {printf "%-10s stock-instrumented/bare rps %.2f, p99 %.2f; gateway/stock-instrumented rps %.2f\n", "", s/b, sp/bp, g/s}'
  fi
}

printf "\n%-10s %-8s %10s %9s %9s %7s %9s %8s\n" case target "req/s" "p50 ms" "p99 ms" errors "cpu us/req" "peakMB"
for case in anthropic openai stream big; do
  conns=$CONNECTIONS; [ "$case" = big ] && conns=8
  if [ "$STOCK" = 1 ] && [ "$case" != stream ] && [ "$case" != big ]; then measure_case "$case" "$conns" "${TARGETS[@]}" stock
  else measure_case "$case" "$conns"; fi
done

if [ ${#PROXY_CPU[@]} -gt 0 ]; then
  # The same comparison with nothing pinned: wrk, the upstream and the proxy share both cores, as on a two-core
  # host that also runs its clients. The proxy's CPU is then only part of what limits throughput.
  echo
  echo "== the same, no process pinned (all share both cores)"
  for name in upstream bare gateway; do taskset -a -p -c 0-1 "$(pid_of $name)" >/dev/null; done
  SAVED_LOAD_CPU=("${LOAD_CPU[@]}"); LOAD_CPU=(); SAVED_DURATION=$DURATION; DURATION=$(( DURATION > 4 ? 4 : DURATION ))  # bounded run time
  printf "%-10s %-8s %10s %9s %9s %7s %9s %8s\n" case target "req/s" "p50 ms" "p99 ms" errors "cpu us/req" "peakMB"
  for case in anthropic openai; do measure_case "$case" "$CONNECTIONS"; done
  LOAD_CPU=("${SAVED_LOAD_CPU[@]}"); DURATION=$SAVED_DURATION
  taskset -a -p -c 1 "$(pid_of upstream)" >/dev/null
  for name in bare gateway; do taskset -a -p -c 0 "$(pid_of $name)" >/dev/null; done
fi

echo
echo "== light load (2 connections, nothing queued): the latency a request pays for each hop"
printf "%-10s %-8s %10s %9s %9s\n" case target "req/s" "p50 ms" "p99 ms"
for target in direct bare gateway; do
  port=$UP; prefix=""; [ "$target" = bare ] && port=$BARE && prefix=/anthropic; [ "$target" = gateway ] && port=$GW && prefix=/anthropic
  read -r r a b _ <<< "$(run_wrk anthropic "$target" "$port" "$prefix" 2)"
  printf "%-10s %-8s %10s %9s %9s\n" anthropic "$target" "$r" "$a" "$b"
done

echo
"${LOAD_CPU[@]}" python3 bench/ttft.py $UP $GW $BARE

echo
echo "== leak check: 100,000 requests through the gateway"
sleep 2; rss_warm=$(rss_mb "$(pid_of gateway)")
total=0
while [ "$total" -lt 100000 ]; do
  line=$(CASE=anthropic PREFIX=/anthropic "${LOAD_CPU[@]}" wrk -t2 -c$CONNECTIONS -d5s -s bench/wrk/request.lua "http://127.0.0.1:$GW" | grep '^RESULT')
  read -r _ requests _ <<< "$line"; total=$((total+requests))
done
sleep 3; rss_after=$(rss_mb "$(pid_of gateway)")
awk -v w="$rss_warm" -v a="$rss_after" -v n="$total" 'BEGIN {printf "RSS after warm-up %d MB, after %d more requests %d MB (%+.1f%%)\n", w, n, a, (a-w)*100/w}'

# Every request traced and exported means every span arrives: the receiver counts them (two per request here:
# the request's span and its provider attempt). The exporter sends at most every 5 s; wait for the last batch.
sleep 6
served=$(curl -s "http://127.0.0.1:$GW/metrics" | awk '/^gateway_requests_total/ {s+=$NF} END {printf "%d", s}')
spans=$(curl -s "http://127.0.0.1:$UP/bench/spans")
awk -v s="$spans" -v n="$served" 'BEGIN {printf "spans received by the OTLP receiver: %d for %d gateway requests (%.3f per request)\n", s, n, s/n}'

echo
echo "== memory: 1,000 concurrent streams held open ~10 s"
start slow_upstream $SLOW_UP UPSTREAM_EVENT_DELAY_MS=200 -- "${LOAD_CPU[@]}" dotnet bench/Upstream/bin/Release/net10.0/Upstream.dll --urls "http://127.0.0.1:$SLOW_UP"
mapfile -t SLOW_ROUTES < <(route_env $SLOW_UP)
start slow_gateway $SLOW_GW "${SLOW_ROUTES[@]}" "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$UP" "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf" \
  "RATE_LIMIT_DEFAULT=1000000/second" "GatewayLogging__EnableConsole=false" "GatewayLogging__File=$OUT/logs2/gateway.log" \
  -- "${PROXY_CPU[@]}" dotnet Gateway.Proxy/bin/Release/net10.0/Gateway.Proxy.dll --urls "http://127.0.0.1:$SLOW_GW" --contentRoot "$ROOT"
ulimit -n 65536 2>/dev/null || true
line=$(CASE=stream PREFIX=/anthropic "${LOAD_CPU[@]}" wrk -t2 -c1000 -d12s --timeout 30s -s bench/wrk/request.lua "http://127.0.0.1:$SLOW_GW" | grep '^RESULT')
read -r _ requests _ _ _ errors <<< "$line"
echo "1,000 streams: $requests completed, $errors errors; gateway peak RSS $(peak_rss_mb "$(pid_of slow_gateway)") MB"

fi

if [ "$SOAK" = 1 ]; then
  echo
  echo "== soak: 10 minutes, mixed streaming, errors and aborted streams"
  gw=$(pid_of gateway)
  fds_before=$(ls /proc/$gw/fd | wc -l); rss_before=$(rss_mb "$gw")
  PREFIX=/anthropic timeout 660 "${LOAD_CPU[@]}" wrk -t2 -c16 -d600s --timeout 2s -s bench/wrk/soak.lua "http://127.0.0.1:$GW" > "$OUT/soak.txt" &
  soak=$!
  for i in $(seq 1 20); do sleep 30; echo "  t=$((i*30))s RSS $(rss_mb "$gw") MB, fds $(ls /proc/$gw/fd | wc -l)"; done
  wait $soak || true
  grep '^RESULT' "$OUT/soak.txt" | awk '{printf "  %d requests, %s req/s, p99 %s ms, client time-outs and socket errors %d (the 5%% aborted slow streams), non-2xx %d (the 10%% error path)\n", $2, $3, $5, $6, $7}'
  sleep 3
  echo "  RSS $rss_before -> $(rss_mb "$gw") MB, open fds $fds_before -> $(ls /proc/$gw/fd | wc -l)"
fi

if [ "$MICRO" = 1 ]; then
  echo
  echo "== micro-benchmarks (BenchmarkDotNet)"
  dotnet run -c Release --project bench/Micro -- --filter '*' --join --exporters markdown 2>&1 | grep -E '^\|' || true
fi

echo
echo "== done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
