using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Send.Bench.MessagingThroughput;

// Usage: Send.Bench.MessagingThroughput <redis host:port> [events per run] [rounds]
var redis = args.ElementAtOrDefault(0) ?? "127.0.0.1:6379";
var events = int.Parse(args.ElementAtOrDefault(1) ?? "20000", CultureInfo.InvariantCulture);
var rounds = int.Parse(args.ElementAtOrDefault(2) ?? "3", CultureInfo.InvariantCulture);
var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
// The baseline moves the same bytes the transport does: a CloudEvent envelope of the same size.
var payload = JsonSerializer.SerializeToUtf8Bytes(new
{
    id = Guid.CreateVersion7().ToString(), source = "bench", type = "send.bench.happened.v1", time = DateTimeOffset.UtcNow,
    data = new { sequence = 1 }, topic = "bench-topic", specversion = "1.0", datacontenttype = "application/json",
});

// Warm-up (JIT, connection pools), not reported.
await BareLoop.RunAsync(redis, 1, 2000, payload);
await TransportLoop.RunAsync(redis, 1, 2000, secret, bulk: false);
await TransportLoop.RunAsync(redis, 1, 2000, secret, bulk: true);

Console.WriteLine($"events per run: {events}, rounds: {rounds} (medians reported; a ratio is the median of the rounds' ratios), publisher in flight: {Publishing.InFlight}");
Console.WriteLine("consumers | bare XADD/XREADGROUP ev/s | transport ev/s | / bare | bulk transport ev/s | / bare | events per bulk request");
// For profiling one mode: BENCH_ONLY=bulk BENCH_CONSUMERS=4 runs just that (the ratio then reads n/a).
var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
var consumerCounts = Environment.GetEnvironmentVariable("BENCH_CONSUMERS") is { } counts ? counts.Split(',').Select(int.Parse).ToArray() : [1, 2, 4];
foreach (var consumers in consumerCounts)
{
    var bare = new List<double>();
    var transport = new List<double>();
    var bulk = new List<double>();
    var chunks = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        // Alternated, so drift in the machine's state affects both alike.
        bare.Add(only is null or "bare" ? await BareLoop.RunAsync(redis, consumers, events, payload) : double.NaN);
        transport.Add(only is null or "single" ? (await TransportLoop.RunAsync(redis, consumers, events, secret, bulk: false)).Rate : double.NaN);
        var bulkRun = only is null or "bulk" ? await TransportLoop.RunAsync(redis, consumers, events, secret, bulk: true) : new(double.NaN, double.NaN);
        bulk.Add(bulkRun.Rate);
        chunks.Add(bulkRun.EventsPerRequest);
    }

    // Each ratio is the median of the rounds' own ratios: a round's transport run is compared
    // with the baseline run just before it, not with another round's, as the baseline alone
    // moves by ±20 % from round to round here.
    var transportRatio = Median(transport.Zip(bare, (x, y) => x / y).ToList());
    var bulkRatio = Median(bulk.Zip(bare, (x, y) => x / y).ToList());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{consumers,9} | {Median(bare),25:N0} | {Median(transport),14:N0} | {transportRatio,6:P0} | {Median(bulk),19:N0} | {bulkRatio,6:P0} | {Median(chunks),23:N1}"));
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
