// Reference for the hold benchmark: std::priority_queue keyed by (time, insertion sequence), the same
// key and payload as dtsim's EventQueue, with the same precomputed Exp(1) increments.
// Usage: hold <pending> <events>; prints events per second of the best of 3 runs.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <vector>

struct Entry {
  double time;
  uint64_t seq;
  int32_t kind, a, b;
};
struct Later {
  bool operator()(const Entry& x, const Entry& y) const {
    return x.time > y.time || (x.time == y.time && x.seq > y.seq);
  }
};

int main(int argc, char** argv) {
  const long pending = argc > 1 ? atol(argv[1]) : 10000;
  const long events = argc > 2 ? atol(argv[2]) : 10000000;
  const int increments_n = 1 << 16;
  std::vector<double> increments(increments_n);
  uint64_t s = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < increments_n; i++) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    increments[i] = -std::log(1.0 - (double)(s >> 11) * 0x1.0p-53);
  }
  double best = 0;
  double checksum = 0;
  for (int run = 0; run < 3; run++) {
    std::priority_queue<Entry, std::vector<Entry>, Later> q;
    uint64_t seq = 0;
    for (long i = 0; i < pending; i++) q.push({increments[i & (increments_n - 1)], seq++, 0, (int32_t)i, 0});
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < events; i++) {
      Entry e = q.top();
      q.pop();
      q.push({e.time + increments[i & (increments_n - 1)], seq++, e.kind, e.a, e.b});
    }
    auto t1 = std::chrono::steady_clock::now();
    checksum += q.top().time;
    double rate = events / std::chrono::duration<double>(t1 - t0).count();
    if (rate > best) best = rate;
  }
  std::printf("%.0f %.3f\n", best, checksum);
  return 0;
}
