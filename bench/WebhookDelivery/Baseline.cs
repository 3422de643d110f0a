using System.Diagnostics;
using System.Globalization;
using System.Text;
using Send.WebhookService.Services;

namespace Send.Bench.WebhookDelivery;

/// <summary>
/// The floor of the work: sign each payload as the service does (Standard Webhooks, HMAC-SHA256)
/// and POST it with a plain HttpClient, <paramref name="concurrency"/> at a time. No database,
/// no queue, no retries, no record of the attempt.
/// </summary>
public static class Baseline
{
    public static async Task<double> RunAsync(Sink sink, IReadOnlyList<string> payloads, string secret, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        sink.Reset();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < payloads.Count)
            {
                var id = $"msg_{i}";
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{sink.Url}/{worker % 8}") { Content = new StringContent(payloads[i], Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("webhook-id", id);
                request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Header([secret], id, timestamp, payloads[i]));
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }));
        return payloads.Count / watch.Elapsed.TotalSeconds;
    }
}
