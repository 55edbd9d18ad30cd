// SimGrid (s4u) reference for `npm run bench`: the same network and the same traffic as dtsim's flow
// model, timed by SimGrid's own max-min solver. Written for this bench, compiled on the fly.
//
// stdin: the platform dtsim built, then the traffic:
//   links L, then L lines "capacity(bytes/s) latency(s)"   (one SimGrid SHARED link per directed dtsim link)
//   hosts H
//   routes R, then R lines "src dst k link1 .. linkk"      (only the pairs the traffic uses)
//   p2p T, then T lines "start src dst bytes"              (transfers at given times), or
//   ring G C, then G lines "bytes n rank1 .. rankn"        (G groups, each C back-to-back ring all-reduces)
// stdout: one line "wall_s transfers mean_transfer_s end_s".
//
// Configured for pure max-min (CM02, latency and bandwidth factors 1, no TCP window bound, no cross
// traffic) and for speed: p2p transfers are asynchronous host-to-host communications (no mailbox, no
// receiver) started by one actor, which waits for them all at the end (no actor per message; a
// detached host-to-host communication reports no finish time in 3.32); ring ranks are one actor
// each, since a rank waits on its neighbour.
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

namespace sg4 = simgrid::s4u;

static double finished_sum = 0;
static double started_sum  = 0;
static long finished_count = 0;
static double last_end     = 0;

struct Transfer {
  double start;
  int src;
  int dst;
  unsigned long long bytes;
};

struct Group {
  unsigned long long chunk;
  std::vector<int> ranks;
  std::vector<sg4::SemaphorePtr> received; // per rank: chunks received from its predecessor
  sg4::BarrierPtr barrier;
};

static std::vector<sg4::Host*> hosts;

static void record(double start, double end)
{
  started_sum += start;
  finished_sum += end;
  finished_count++;
  if (end > last_end)
    last_end = end;
}

// Ring all-reduce as dtsim's RingPipeline: rank r sends its step-k chunk to r+1 once it has received
// its predecessor's step k-1 chunk and its own step k-1 send is over.
static void ring_rank(Group* group, int r, int collectives)
{
  const int n     = static_cast<int>(group->ranks.size());
  const int steps = 2 * (n - 1);
  sg4::Host* from = hosts[group->ranks[r]];
  sg4::Host* to   = hosts[group->ranks[(r + 1) % n]];
  for (int c = 0; c < collectives; c++) {
    for (int k = 0; k < steps; k++) {
      if (k > 0)
        group->received[r]->acquire();
      const double start = sg4::Engine::get_clock();
      sg4::Comm::sendto(from, to, group->chunk);
      record(start, sg4::Engine::get_clock());
      group->received[(r + 1) % n]->release();
    }
    // The step-(steps-1) chunk this rank received: consumed so the next collective starts from zero.
    group->received[r]->acquire();
    group->barrier->wait();
  }
}

int main(int argc, char** argv)
{
  sg4::Engine e(&argc, argv);
  e.set_config("network/model:CM02");
  e.set_config("network/latency-factor:1");
  e.set_config("network/bandwidth-factor:1");
  e.set_config("network/TCP-gamma:0");
  e.set_config("network/crosstraffic:0");
  e.set_config("network/weight-S:0");

  size_t link_count;
  std::cin >> link_count;
  auto* zone = sg4::create_full_zone("dtsim");
  std::vector<sg4::Link*> links(link_count);
  for (size_t l = 0; l < link_count; l++) {
    double capacity;
    double latency;
    std::cin >> capacity >> latency;
    links[l] = zone->create_link("l" + std::to_string(l), capacity)->set_latency(latency)->seal();
  }
  size_t host_count;
  std::cin >> host_count;
  for (size_t h = 0; h < host_count; h++)
    hosts.push_back(zone->create_host("h" + std::to_string(h), 1e9)->seal());
  size_t route_count;
  std::cin >> route_count;
  for (size_t i = 0; i < route_count; i++) {
    int src;
    int dst;
    size_t k;
    std::cin >> src >> dst >> k;
    std::vector<sg4::LinkInRoute> route;
    for (size_t j = 0; j < k; j++) {
      size_t l;
      std::cin >> l;
      route.emplace_back(links[l]);
    }
    zone->add_route(hosts[src]->get_netpoint(), hosts[dst]->get_netpoint(), nullptr, nullptr, route, false);
  }
  zone->seal();

  std::string mode;
  std::cin >> mode;
  std::vector<Transfer> transfers;
  std::vector<std::unique_ptr<Group>> groups;
  if (mode == "p2p") {
    size_t count;
    std::cin >> count;
    transfers.resize(count);
    for (auto& t : transfers)
      std::cin >> t.start >> t.src >> t.dst >> t.bytes;
    sg4::Actor::create("stream", hosts[0], [&transfers]() {
      std::vector<sg4::CommPtr> comms;
      comms.reserve(transfers.size());
      for (const auto& t : transfers) {
        sg4::this_actor::sleep_until(t.start);
        comms.push_back(sg4::Comm::sendto_async(hosts[t.src], hosts[t.dst], t.bytes));
      }
      for (size_t i = 0; i < comms.size(); i++) {
        comms[i]->wait();
        record(transfers[i].start, comms[i]->get_finish_time());
      }
    });
  } else {
    size_t count;
    int collectives;
    std::cin >> count >> collectives;
    for (size_t g = 0; g < count; g++) {
      auto group = std::make_unique<Group>();
      size_t n;
      std::cin >> group->chunk >> n;
      group->ranks.resize(n);
      for (auto& r : group->ranks)
        std::cin >> r;
      for (size_t r = 0; r < n; r++)
        group->received.push_back(sg4::Semaphore::create(0));
      group->barrier = sg4::Barrier::create(static_cast<unsigned>(n));
      for (size_t r = 0; r < n; r++)
        sg4::Actor::create("g" + std::to_string(g) + "r" + std::to_string(r), hosts[group->ranks[r]], ring_rank,
                           group.get(), static_cast<int>(r), collectives);
      groups.push_back(std::move(group));
    }
  }

  const auto begin = std::chrono::steady_clock::now();
  e.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::printf("%.9f %ld %.17g %.17g\n", wall, finished_count,
              finished_count > 0 ? (finished_sum - started_sum) / static_cast<double>(finished_count) : 0.0, last_end);
  return 0;
}
